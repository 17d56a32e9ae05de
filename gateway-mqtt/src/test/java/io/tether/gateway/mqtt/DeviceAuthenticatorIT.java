package io.tether.gateway.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.StatefulRedisConnection;
import io.tether.contract.DeviceFields;
import io.tether.contract.RedisKeys;
import io.tether.gateway.store.RedisGatewayStore;
import io.tether.testkit.RedisFixture;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Device passwords checked against the registry's record in a real redis-server, and the cache that may not outlive a change. */
class DeviceAuthenticatorIT {
    private static final String ID = "dev-auth";
    private static final String PASSWORD = "s3cr3t-Ünïcode-password";

    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void connect() {
        connection = REDIS.connect();
    }

    @BeforeEach
    void registerDevice() {
        connection.sync().flushall();
        connection.sync().hset(RedisKeys.device(ID).record(), Map.of(DeviceFields.ID, ID, DeviceFields.PLATFORM, "ios",
                DeviceFields.SECRET_HASH, DeviceAuthenticator.sha256Hex(PASSWORD)));
    }

    @Test
    void theRightPasswordIsAcceptedAndOthersAreNot() {
        DeviceAuthenticator uncached = cachingFor(Duration.ZERO);
        assertTrue(join(uncached.authenticate(ID, ID, PASSWORD)));
        assertTrue(join(uncached.authenticate(ID, null, PASSWORD)));
        assertFalse(join(uncached.authenticate(ID, ID, "wrong")));
        assertFalse(join(uncached.authenticate(ID, "dev-other", PASSWORD)));
        assertFalse(join(uncached.authenticate("dev-other", "dev-other", PASSWORD)));
    }

    @Test
    void revokedAndDeletedDevicesAreRefused() {
        DeviceAuthenticator uncached = cachingFor(Duration.ZERO);
        connection.sync().hdel(RedisKeys.device(ID).record(), DeviceFields.SECRET_HASH);
        assertFalse(join(uncached.authenticate(ID, ID, PASSWORD)));
        connection.sync().del(RedisKeys.device(ID).record());
        assertFalse(join(uncached.authenticate(ID, ID, PASSWORD)));
    }

    @Test
    void aVerifiedPasswordIsAcceptedFromTheCacheWithoutReadingRedisAgain() {
        DeviceAuthenticator cached = cachingFor(Duration.ofMinutes(5));
        assertTrue(join(cached.authenticate(ID, ID, PASSWORD)));

        connection.sync().del(RedisKeys.device(ID).record());

        assertTrue(join(cached.authenticate(ID, ID, PASSWORD)), "within the TTL and without an announcement, a check is no Redis read");
        assertFalse(join(cached.authenticate(ID, ID, "wrong")), "the cache never accepts another password");
    }

    @Test
    void anAnnouncedChangeEndsTheCachedCheckAtOnce() {
        DeviceAuthenticator cached = cachingFor(Duration.ofMinutes(5));
        assertTrue(join(cached.authenticate(ID, ID, PASSWORD)));
        connection.sync().hset(RedisKeys.device(ID).record(), DeviceFields.SECRET_HASH, DeviceAuthenticator.sha256Hex("rotated"));

        cached.forget(ID);

        assertFalse(join(cached.authenticate(ID, ID, PASSWORD)));
        assertTrue(join(cached.authenticate(ID, ID, "rotated")));
    }

    @Test
    void aLostSubscriptionEndsEveryCachedCheck() {
        DeviceAuthenticator cached = cachingFor(Duration.ofMinutes(5));
        assertTrue(join(cached.authenticate(ID, ID, PASSWORD)));
        connection.sync().del(RedisKeys.device(ID).record()); // its announcement was missed

        cached.forgetAll(); // what the control channel does when its subscription comes back

        assertFalse(join(cached.authenticate(ID, ID, PASSWORD)));
    }

    @Test
    void aLookupThatRacedAChangeIsNotCached() {
        DeviceAuthenticator cached = cachingFor(Duration.ofMinutes(5));
        // Redis holds every command for a moment: the lookup reads the old secret after the change was announced here.
        connection.sync().clientPause(500);
        CompletionStage<Boolean> racing = cached.authenticate(ID, ID, PASSWORD);
        cached.forget(ID);
        assertTrue(join(racing), "it read the secret as it was");

        connection.sync().del(RedisKeys.device(ID).record());

        assertFalse(join(cached.authenticate(ID, ID, PASSWORD)), "but did not cache it");
    }

    @Test
    void aCachedCheckLapsesAfterItsTtl() {
        DeviceAuthenticator cached = cachingFor(Duration.ofMillis(200));
        assertTrue(join(cached.authenticate(ID, ID, PASSWORD)));
        connection.sync().del(RedisKeys.device(ID).record());

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> !join(cached.authenticate(ID, ID, PASSWORD)));
    }

    private static DeviceAuthenticator cachingFor(Duration ttl) {
        return new DeviceAuthenticator(new RedisGatewayStore(connection.async()), ttl);
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("did not complete: " + e, e);
        }
    }
}
