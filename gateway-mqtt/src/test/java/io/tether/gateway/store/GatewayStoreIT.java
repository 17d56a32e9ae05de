package io.tether.gateway.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tether.contract.DeviceFields;
import io.tether.contract.RedisKeys;
import io.tether.contract.TakeoverNotice;
import io.tether.contract.WillNotice;
import io.tether.gateway.store.GatewayStore.Claim;
import io.tether.gateway.store.GatewayStore.Decision;
import io.tether.gateway.store.GatewayStore.Opening;
import io.tether.testkit.RedisFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gateway's scripts in a real redis-server: what CONNECT reads, what a claim decides, what a push token write does. */
class GatewayStoreIT {
    private static final String ID = "dev-1";
    private static final Duration ORIGIN_TTL = Duration.ofDays(30);

    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static StatefulRedisConnection<String, String> connection;
    private static StatefulRedisPubSubConnection<String, String> subscriber;
    private static final List<String> published = new CopyOnWriteArrayList<>();
    private static GatewayStore store;
    private static RedisCommands<String, String> redis;

    @BeforeAll
    static void start() throws Exception {
        connection = REDIS.connect();
        redis = connection.sync();
        store = new RedisGatewayStore(connection.async());
        subscriber = REDIS.client().connectPubSub();
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String pattern, String channel, String message) {
                published.add(channel + " " + message);
            }
        });
        subscriber.async().psubscribe(RedisKeys.CONTROL_CHANNEL_PREFIX + "*").get(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void registerDevice() {
        redis.flushall();
        published.clear();
        redis.hset(RedisKeys.device(ID).record(), Map.of(DeviceFields.ID, ID, DeviceFields.PLATFORM, "ios", DeviceFields.SECRET_HASH, "ab12"));
    }

    // ---- connect.lua ------------------------------------------------------------------------------------------

    @Test
    void connectReadsTheSecretHashAndTheCredentialVersion() throws Exception {
        GatewayStore.ConnectInfo info = join(store.connect(ID)).orElseThrow();
        assertEquals("ab12", info.secretHash());
        assertEquals(0, info.credentialVersion(), "a device never rotated or revoked is at version 0");

        redis.hset(RedisKeys.device(ID).record(), DeviceFields.CREDENTIAL_VERSION, "3");

        assertEquals(3, join(store.connect(ID)).orElseThrow().credentialVersion());
    }

    @Test
    void aDeviceWhoseCredentialsAreRevokedIsUnknownToConnectWhateverItPresents() throws Exception {
        // what the registry's revocation leaves: no secret hash, the revoked flag (certificates are refused too)
        redis.hdel(RedisKeys.device(ID).record(), DeviceFields.SECRET_HASH);
        redis.hset(RedisKeys.device(ID).record(), DeviceFields.CREDENTIALS_REVOKED, "1");

        assertTrue(join(store.connect(ID)).isEmpty());
        assertFalse(redis.exists(RedisKeys.device(ID).epoch()) == 1, "a refused device takes no epoch");
    }

    @Test
    void aDeletedDeviceIsUnknownToConnect() throws Exception {
        redis.del(RedisKeys.device(ID).record());
        assertTrue(join(store.connect(ID)).isEmpty());
    }

    // ---- claim.lua --------------------------------------------------------------------------------------------

    @Test
    void theNewestConnectionHoldsTheDeviceAndTheGatewayOfTheOlderOneIsTold() throws Exception {
        assertEquals(Claim.HELD, claim("gw-a", 100, 0));
        assertEquals(Claim.HELD, claim("gw-b", 200, 0));

        await().atMost(Duration.ofSeconds(5)).until(() -> !published.isEmpty());
        assertEquals(List.of(RedisKeys.controlChannel("gw-a") + " " + new TakeoverNotice(ID, 200).format()), published);
        assertEquals(Map.of("gatewayId", "gw-b", "epoch", "200", "credentialVersion", "0"), redis.hgetall(RedisKeys.device(ID).owner()));
        // gw-a checking its connection again learns it is taken over
        assertEquals(Claim.TAKEN_OVER, check("gw-a", 100));
        assertEquals(Claim.HELD, check("gw-b", 200));
    }

    @Test
    void aClaimCheckedAgainDecidesNoWillAndTheHolderIsTheNewestConnection() throws Exception {
        assertEquals(new GatewayStore.WillCheck(Decision.NONE, OptionalLong.empty()), join(store.willCheck(ID, 100)),
                "no connection claimed it yet");
        claim("gw-a", 100, 0);
        claim("gw-b", 200, 0);
        assertEquals(new GatewayStore.WillCheck(Decision.NONE, OptionalLong.of(200)), join(store.willCheck(ID, 100)),
                "not an opening claim: it took no session, so it decided nothing");
    }

    // ---- the first connection after another decides that one's delayed will [MQTT-3.1.3-9] ----------------------

    @Test
    void resumedThenCleanStartTheFirstConnectionResumedSoTheWillIsNotSentWhateverCameNext() throws Exception {
        assertEquals(new Opening(Claim.HELD, false, 0), open("gw-a", 100, true, 0), "nobody before it: no decision");
        assertEquals(new Opening(Claim.HELD, true, 100), open("gw-b", 200, false, 100), "resumed 100's session");
        assertEquals(new Opening(Claim.HELD, false, 200), open("gw-a", 300, true, 0), "a clean start: decides 200's will");

        assertEquals(Decision.RESUMED, join(store.willCheck(ID, 100)).decision(), "the later clean start changed nothing");
        assertEquals(Decision.NEW_SESSION, join(store.willCheck(ID, 200)).decision());
        assertEquals(Decision.NONE, join(store.willCheck(ID, 300)).decision(), "nothing came after 300 yet");
        assertEquals(Decision.RESUMED, join(store.willDecision(ID, 100)), "the decision alone, in one read");
        assertEquals(Decision.NEW_SESSION, join(store.willDecision(ID, 200)));
        assertEquals(Decision.NONE, join(store.willDecision(ID, 300)));
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 4);
        assertEquals(List.of(RedisKeys.controlChannel("gw-a") + " " + new TakeoverNotice(ID, 200).format(),
                RedisKeys.controlChannel("gw-a") + " " + new WillNotice(ID, 100, true).format(),
                RedisKeys.controlChannel("gw-b") + " " + new TakeoverNotice(ID, 300).format(),
                RedisKeys.controlChannel("gw-b") + " " + new WillNotice(ID, 200, false).format()), published,
                "each decision told to the gateway that holds the will, right after the takeover notice");
    }

    @Test
    void cleanStartThenResumedTheFirstConnectionEndedTheSessionSoTheWillGoesOutWhateverCameNext() throws Exception {
        open("gw-a", 100, true, 0);
        assertEquals(new Opening(Claim.HELD, false, 100), open("gw-a", 200, true, 0));
        assertEquals(new Opening(Claim.HELD, true, 200), open("gw-a", 300, false, 200), "resumed 200's session, not 100's");

        assertEquals(Decision.NEW_SESSION, join(store.willCheck(ID, 100)).decision(), "the later resume changed nothing");
        assertEquals(Decision.RESUMED, join(store.willCheck(ID, 200)).decision());
        redis.publish(RedisKeys.controlChannel("marker"), "end");
        await().atMost(Duration.ofSeconds(5)).until(() -> !published.isEmpty());
        assertEquals(List.of(RedisKeys.controlChannel("marker") + " end"), published, "one gateway: it settles its wills itself");
    }

    @Test
    void aConnectionTakenOverBeforeItsClaimDecidesNothing() throws Exception {
        open("gw-a", 100, true, 0);
        open("gw-b", 300, true, 0);
        assertEquals(new Opening(Claim.TAKEN_OVER, false, 0), open("gw-c", 200, false, 100), "300 came first after 100");

        assertEquals(Decision.NEW_SESSION, join(store.willCheck(ID, 100)).decision(), "still what 300 decided");
        assertEquals(Decision.NONE, join(store.willCheck(ID, 300)).decision(), "200 is not a connection after 300");
        assertEquals(OptionalLong.of(300), join(store.willCheck(ID, 300)).holderEpoch());
    }

    @Test
    void onlyTheLatestDecisionsAreKeptAndForTheLongestSessionExpiryAndAMinuteNotTheHeldTtl() throws Exception {
        // As the gateway builds it: tether.mqtt.session.held-ttl (30 days) and max-expiry (7 days), their defaults.
        GatewayStore configured = new RedisGatewayStore(connection.async(), Duration.ofDays(30), Duration.ofDays(7));
        for (long epoch = 100; epoch <= 1300; epoch += 100) {
            join(configured.open(ID, "gw-a", epoch, 0, "10.0.0.1", ORIGIN_TTL,
                    new GatewayStore.SessionClaim(true, true, Duration.ofSeconds(600), 0)));
        }
        String decisions = RedisKeys.device(ID).willDecisions();
        assertEquals(8, redis.hlen(decisions));
        assertEquals(Decision.NONE, join(configured.willCheck(ID, 400)).decision(), "dropped: older than the latest 8");
        assertEquals(Decision.NEW_SESSION, join(configured.willCheck(ID, 500)).decision());
        long ttl = redis.pttl(decisions);
        assertTrue(ttl <= Duration.ofDays(7).plusMinutes(1).toMillis(), "no will waits longer than max-expiry: " + ttl);
        assertTrue(ttl > Duration.ofDays(7).toMillis(), "a will firing a little late still finds it: " + ttl);
    }

    @Test
    void anOlderConnectionClaimingLateIsTakenOverAndChangesNothing() throws Exception {
        assertEquals(Claim.HELD, claim("gw-b", 200, 0));
        assertEquals(Claim.TAKEN_OVER, claim("gw-a", 100, 0));
        assertEquals("gw-b", redis.hget(RedisKeys.device(ID).owner(), "gatewayId"));
        assertTrue(published.isEmpty(), "nobody is told: the late one closes itself");
    }

    @Test
    void aNewerConnectionOnTheSameGatewayNeedsNoNotice() throws Exception {
        assertEquals(Claim.HELD, claim("gw-a", 100, 0));
        assertEquals(Claim.HELD, claim("gw-a", 200, 0));
        assertEquals(Claim.HELD, check("gw-a", 200));
        redis.publish(RedisKeys.controlChannel("marker"), "end");
        await().atMost(Duration.ofSeconds(5)).until(() -> !published.isEmpty());
        assertEquals(List.of(RedisKeys.controlChannel("marker") + " end"), published, "the takeover stays on the gateway that holds both");
    }

    @Test
    void credentialsChangedSinceConnectAreRefusedAtTheClaimAndFoundByACheck() throws Exception {
        redis.hset(RedisKeys.device(ID).record(), DeviceFields.CREDENTIAL_VERSION, "1"); // rotated after connect.lua read 0
        assertEquals(Claim.CREDENTIALS_CHANGED, claim("gw-a", 100, 0));

        assertEquals(Claim.HELD, claim("gw-a", 200, 1));
        redis.hincrby(RedisKeys.device(ID).record(), DeviceFields.CREDENTIAL_VERSION, 1); // rotated again
        assertEquals(Claim.CREDENTIALS_CHANGED, check("gw-a", 200));
    }

    @Test
    void aRevokedOrDeletedDeviceLosesItsConnectionsWhateverTheVersion() throws Exception {
        assertEquals(Claim.HELD, claim("gw-a", 100, 0));
        redis.hset(RedisKeys.device(ID).record(), DeviceFields.CREDENTIALS_REVOKED, "1");
        assertEquals(Claim.CREDENTIALS_CHANGED, check("gw-a", 100));

        redis.hdel(RedisKeys.device(ID).record(), DeviceFields.CREDENTIALS_REVOKED);
        assertEquals(Claim.HELD, check("gw-a", 100));
        redis.del(RedisKeys.device(ID).record());
        assertEquals(Claim.CREDENTIALS_CHANGED, check("gw-a", 100));
    }

    @Test
    void aRevokedOrDeletedDeviceLosesItsStoredSessionButRotatedCredentialsKeepIt() throws Exception {
        String session = RedisKeys.device(ID).session();
        redis.hset(session, Map.of("epoch", "100", "expiry", "600", "s:devices/" + ID + "/#", "1"));
        redis.hset(RedisKeys.device(ID).record(), DeviceFields.CREDENTIAL_VERSION, "1");
        assertEquals(Claim.CREDENTIALS_CHANGED, claim("gw-a", 100, 0));
        assertEquals(1, redis.exists(session), "rotated: the device connects again with its new credentials and resumes");

        redis.hset(RedisKeys.device(ID).record(), DeviceFields.CREDENTIALS_REVOKED, "1");
        assertEquals(Claim.CREDENTIALS_CHANGED, claim("gw-a", 200, 1));
        assertEquals(0, redis.exists(session), "revoked: nothing it subscribed to is kept");

        redis.hset(session, Map.of("epoch", "200", "expiry", "600"));
        redis.del(RedisKeys.device(ID).record());
        assertEquals(Claim.CREDENTIALS_CHANGED, check("gw-a", 200));
        assertEquals(0, redis.exists(session), "deleted: a device registered again under its id starts clean");
    }

    @Test
    void aClaimLostWithRedisDataIsTakenAgainAtTheCurrentVersion() throws Exception {
        assertEquals(Claim.HELD, claim("gw-a", 100, 0));
        redis.del(RedisKeys.device(ID).owner());

        assertEquals(Claim.HELD, check("gw-a", 100));
        assertEquals("100", redis.hget(RedisKeys.device(ID).owner(), "epoch"));
    }

    @Test
    void aFirstClaimRemembersTheAddressTheDeviceCameFromAndKeepsTheLatestEight() throws Exception {
        for (int i = 1; i <= 10; i++) {
            assertEquals(Claim.HELD, join(store.claim(ID, "gw-a", 100 + i, OptionalLong.of(0), Optional.of("10.0.0." + i), ORIGIN_TTL)));
        }
        List<String> origins = redis.zrange(RedisKeys.device(ID).authOrigins(), 0, -1);
        assertEquals(List.of("10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7", "10.0.0.8", "10.0.0.9", "10.0.0.10"), origins);
        assertTrue(redis.pttl(RedisKeys.device(ID).authOrigins()) > Duration.ofDays(29).toMillis());
    }

    // ---- push-token.lua ---------------------------------------------------------------------------------------

    @Test
    void aPushTokenIsStoredForADeviceThatExists() throws Exception {
        assertTrue(join(store.updatePushToken(ID, "ab".repeat(32), "sandbox")));
        assertEquals("ab".repeat(32), redis.hget(RedisKeys.device(ID).record(), DeviceFields.PUSH_TOKEN));
        assertEquals("sandbox", redis.hget(RedisKeys.device(ID).record(), DeviceFields.PUSH_ENVIRONMENT));
    }

    @Test
    void aPushTokenForADeletedDeviceRecreatesNothing() throws Exception {
        redis.del(RedisKeys.device(ID).record());

        assertFalse(join(store.updatePushToken(ID, "ab".repeat(32), "sandbox")));
        assertEquals(0, redis.exists(RedisKeys.device(ID).record()), "no partial device record");
    }

    private static Claim claim(String gateway, long epoch, long version) throws Exception {
        return join(store.claim(ID, gateway, epoch, OptionalLong.of(version), Optional.empty(), ORIGIN_TTL));
    }

    /** A new connection's claim, its session kept 600 s; {@code found}: the stored session's epoch its CONNECT read. */
    private static Opening open(String gateway, long epoch, boolean cleanStart, long found) throws Exception {
        return join(store.open(ID, gateway, epoch, 0, "10.0.0.1", ORIGIN_TTL,
                new GatewayStore.SessionClaim(cleanStart, true, Duration.ofSeconds(600), found)));
    }

    private static Claim check(String gateway, long epoch) throws Exception {
        return join(store.claim(ID, gateway, epoch, OptionalLong.empty(), Optional.empty(), ORIGIN_TTL));
    }

    private static <T> T join(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
