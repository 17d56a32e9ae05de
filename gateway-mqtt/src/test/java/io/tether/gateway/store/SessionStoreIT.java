package io.tether.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tether.contract.RedisKeys;
import io.tether.testkit.RedisFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * connect.lua, claim.lua opening a connection, and session.lua in a real redis-server: what a CONNECT reads, and how
 * connections take, change and end a session.
 */
class SessionStoreIT {
    private static final String ID = "dev-s";
    private static final String SESSION = RedisKeys.device(ID).session();
    private static final Duration HELD = Duration.ofDays(30);
    private static final String GATEWAY = "gw-s";

    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static StatefulRedisConnection<String, String> connection;
    private static RedisCommands<String, String> redis;
    private static RedisGatewayStore store;

    @BeforeAll
    static void start() {
        connection = REDIS.connect();
        redis = connection.sync();
        store = new RedisGatewayStore(connection.async(), HELD);
    }

    @BeforeEach
    void device() {
        redis.flushall();
        redis.hset(RedisKeys.device(ID).record(), Map.of("secretHash", "abc", "userId", "alice"));
        redis.hset(RedisKeys.device(ID).grants(), Map.of("fleet/#", "subscribe"));
    }

    private static GatewayStore.ConnectInfo connect() throws Exception {
        return store.connect(ID).toCompletableFuture().get(5, TimeUnit.SECONDS).orElseThrow();
    }

    private static boolean await(java.util.concurrent.CompletionStage<Boolean> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** claim.lua opening connection {@code epoch} from gateway gw-s: true when it holds the device and its session. */
    private static boolean open(long epoch, GatewayStore.SessionClaim claim) throws Exception {
        return opening(epoch, claim).claim() == GatewayStore.Claim.HELD;
    }

    private static GatewayStore.Opening opening(long epoch, GatewayStore.SessionClaim claim) throws Exception {
        return store.open(ID, GATEWAY, epoch, 0, "10.0.0.1", Duration.ofMinutes(1), claim).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    /** Kept for {@code expirySeconds}; resuming nothing (the CONNECT found no session). */
    private static GatewayStore.SessionClaim kept(boolean clean, long expirySeconds) {
        return new GatewayStore.SessionClaim(clean, true, Duration.ofSeconds(expirySeconds), 0);
    }

    /** Clean Start 0, kept for 600 s, resuming the session {@code info}'s CONNECT read. */
    private static GatewayStore.SessionClaim resuming(GatewayStore.ConnectInfo info) {
        return new GatewayStore.SessionClaim(false, true, Duration.ofSeconds(600), info.session().epoch());
    }

    @Test
    void aConnectReadsTheDeviceItsCredentialVersionAndGrantsAndFindsNoSessionAtFirst() throws Exception {
        redis.hset(RedisKeys.device(ID).record(), "credentialVersion", "3");

        GatewayStore.ConnectInfo info = connect();

        assertEquals("abc", info.secretHash());
        assertEquals("alice", info.userId());
        assertEquals(3, info.credentialVersion());
        assertEquals(Map.of("fleet/#", "subscribe"), info.grants());
        assertFalse(info.session().exists());
        assertTrue(info.epoch() >= System.currentTimeMillis() - 60_000, "epoch floored at the clock");
        assertTrue(store.connect("unknown").toCompletableFuture().get().isEmpty());
    }

    @Test
    void aKeptSessionIsFoundWithItsSubscriptionsByTheNextConnectAndExpiresAfterItsConnectionEnds() throws Exception {
        long first = connect().epoch();
        assertTrue(open(first, kept(false, 600)));
        assertTrue(await(store.subscribe(ID, first, Map.of("devices/dev-s/#", 1, "fleet/news", 0))));
        assertTrue(redis.ttl(SESSION) > Duration.ofDays(29).toSeconds(), "held: the long TTL");

        assertTrue(await(store.endSession(ID, first, Duration.ofSeconds(600))));
        long ttl = redis.ttl(SESSION);
        assertTrue(ttl > 590 && ttl <= 600, "expires 600 s after the end: " + ttl);

        GatewayStore.ConnectInfo next = connect();
        assertTrue(next.session().exists());
        assertEquals(first, next.session().epoch(), "the connection that held it");
        assertEquals(Map.of("devices/dev-s/#", 1, "fleet/news", 0), next.session().subscriptions());
        assertTrue(opening(next.epoch(), resuming(next)).resumed(), "Session Present");
        assertEquals("1", redis.hget(SESSION, "s:devices/dev-s/#"), "resumed with its subscriptions");
        assertTrue(redis.ttl(SESSION) > Duration.ofDays(29).toSeconds(), "held again: no expiry while connected");
    }

    @Test
    void aCleanStartDiscardsWhatWasStoredAndASessionNotKeptLeavesNothing() throws Exception {
        long first = connect().epoch();
        open(first, kept(false, 600));
        await(store.subscribe(ID, first, Map.of("devices/dev-s/#", 1)));

        long second = connect().epoch();
        assertTrue(open(second, new GatewayStore.SessionClaim(true, false, Duration.ZERO, 0)));

        assertEquals(0, redis.exists(SESSION));
        assertFalse(connect().session().exists());
    }

    @Test
    void anOlderConnectionCanNeitherChangeNorEndTheSessionANewerOneHolds() throws Exception {
        long older = connect().epoch();
        open(older, kept(false, 600));
        long newer = connect().epoch();
        open(newer, kept(false, 600));

        assertFalse(await(store.subscribe(ID, older, Map.of("devices/dev-s/late", 1))));
        assertFalse(await(store.endSession(ID, older, Duration.ZERO)));
        assertFalse(open(older, kept(true, 0)), "a late open of the older connection is refused: the newer one holds the device");

        assertEquals(1, redis.exists(SESSION));
        assertEquals(Long.toString(newer), redis.hget(SESSION, "epoch"));
        assertNull(redis.hget(SESSION, "s:devices/dev-s/late"));
        assertTrue(await(store.unsubscribe(ID, newer, List.of("devices/dev-s/late"))));
        assertTrue(await(store.endSession(ID, newer, Duration.ZERO)));
        assertEquals(0, redis.exists(SESSION), "an expiry of 0 ends it with the connection");
    }

    @Test
    void theClaimResumesOnlyTheSessionTheConnectReadAndSaysSoWhichIsSessionPresent() throws Exception {
        long first = connect().epoch();
        open(first, kept(true, 600));
        await(store.subscribe(ID, first, Map.of("devices/dev-s/#", 1)));
        await(store.endSession(ID, first, Duration.ofSeconds(600)));

        GatewayStore.ConnectInfo gone = connect();
        redis.del(SESSION); // expired between the CONNECT's read and its claim
        GatewayStore.Opening opening = opening(gone.epoch(), resuming(gone));
        assertEquals(new GatewayStore.Opening(GatewayStore.Claim.HELD, false, first), opening, "a new session, not a resumed one");
        assertEquals(Map.of("epoch", Long.toString(gone.epoch()), "expiry", "600"), redis.hgetall(SESSION));

        GatewayStore.ConnectInfo clean = connect();
        assertEquals(gone.epoch(), clean.session().epoch());
        GatewayStore.Opening cleanStart = opening(clean.epoch(), new GatewayStore.SessionClaim(true, true, Duration.ofSeconds(600),
                clean.session().epoch()));
        assertEquals(new GatewayStore.Opening(GatewayStore.Claim.HELD, false, gone.epoch()), cleanStart,
                "a clean start never resumes, whatever the CONNECT read");

        GatewayStore.ConnectInfo back = connect();
        assertEquals(new GatewayStore.Opening(GatewayStore.Claim.HELD, true, clean.epoch()), opening(back.epoch(), resuming(back)),
                "the session the CONNECT read, still there: resumed");
    }

    @Test
    void aSessionReplacedBetweenTheConnectAndItsClaimIsNotResumed() throws Exception {
        long first = connect().epoch();
        open(first, kept(true, 600));
        await(store.endSession(ID, first, Duration.ofSeconds(600)));
        GatewayStore.ConnectInfo info = connect();
        // What the CONNECT read is gone and another session is in its place, held by no newer connection.
        redis.del(SESSION);
        redis.hset(SESSION, Map.of("epoch", "1", "s:devices/dev-s/other", "1"));

        assertFalse(opening(info.epoch(), resuming(info)).resumed());
        assertNull(redis.hget(SESSION, "s:devices/dev-s/other"), "discarded: the connection began a new session");
    }

    @Test
    void openingAConnectionClaimsTheDeviceAndTakesItsSession() throws Exception {
        long epoch = connect().epoch();

        assertTrue(open(epoch, kept(false, 600)));

        assertEquals(Long.toString(epoch), redis.hget(RedisKeys.device(ID).owner(), "epoch"));
        assertEquals(Long.toString(epoch), redis.hget(SESSION, "epoch"));
        assertEquals("600", redis.hget(SESSION, "expiry"));
    }

    @Test
    void aSessionHeldByANewerConnectionRefusesTheOpenBeforeAnythingIsWritten() throws Exception {
        long older = connect().epoch();
        long newer = connect().epoch();
        redis.hset(SESSION, Map.of("epoch", Long.toString(newer), "s:devices/dev-s/#", "1")); // e.g. the owner hash lost

        assertFalse(open(older, kept(true, 0)), "taken over: the newer connection holds the session");

        assertEquals(Long.toString(newer), redis.hget(SESSION, "epoch"));
        assertEquals("1", redis.hget(SESSION, "s:devices/dev-s/#"), "a clean start of the older one discarded nothing");
        assertEquals(0, redis.exists(RedisKeys.device(ID).owner()), "nor did it claim the device");
        assertEquals(0, redis.exists(RedisKeys.device(ID).authOrigins()), "nor remember its address");
    }

    @Test
    void aRevokedDeviceIsRefusedAtOpenAndItsStoredSessionGoes() throws Exception {
        long epoch = connect().epoch();
        redis.hset(SESSION, Map.of("epoch", "1", "s:devices/dev-s/#", "1"));
        redis.hset(RedisKeys.device(ID).record(), "credentialsRevoked", "1");

        assertEquals(GatewayStore.Claim.CREDENTIALS_CHANGED, opening(epoch, kept(false, 600)).claim());

        assertEquals(0, redis.exists(SESSION));
    }
}
