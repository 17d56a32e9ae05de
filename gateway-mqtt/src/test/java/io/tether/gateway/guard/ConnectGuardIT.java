package io.tether.gateway.guard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lettuce.core.api.StatefulRedisConnection;
import io.tether.contract.RedisKeys;
import io.tether.gateway.guard.ConnectGuard.Verdict;
import io.tether.runtime.limit.FailureLog;
import io.tether.runtime.limit.FailurePolicy;
import io.tether.testkit.RedisFixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The connect guard of two gateways sharing a real redis-server. */
class ConnectGuardIT {
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    /** Two free failures per address, then 10 s, 20 s ...; the sixth failure bans for 15 min. */
    private static final FailurePolicy PER_ADDRESS = new FailurePolicy(2, Duration.ofSeconds(10), Duration.ofSeconds(60), 5,
            Duration.ofMinutes(15), Duration.ofMinutes(10));
    /** One free failure per client id, then 10 s ... . */
    private static final FailurePolicy PER_CLIENT_ID = new FailurePolicy(1, Duration.ofSeconds(10), Duration.ofSeconds(60), 0,
            Duration.ZERO, Duration.ofMinutes(10));

    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static StatefulRedisConnection<String, String> one;
    private static StatefulRedisConnection<String, String> other;
    private final List<String> throttled = new CopyOnWriteArrayList<>();
    private ConnectGuard gatewayA;
    private ConnectGuard gatewayB;

    @BeforeAll
    static void connect() {
        one = REDIS.connect();
        other = REDIS.connect();
    }

    @BeforeEach
    void guards() {
        one.sync().flushall();
        gatewayA = guard(one);
        gatewayB = guard(other);
    }

    private ConnectGuard guard(StatefulRedisConnection<String, String> connection) {
        return new ConnectGuard(new FailureLog(connection.async(), System::currentTimeMillis), connection.async(), PER_ADDRESS, PER_CLIENT_ID,
                (scope, verdict) -> throttled.add(scope + " " + verdict));
    }

    @Test
    void anAddressThatKeepsFailingMustWaitThenIsBannedOnEveryGateway() throws Exception {
        for (int i = 0; i < 2; i++) {
            assertEquals(Verdict.ALLOW, join(gatewayA.admit("dev-" + i, "192.0.2.1")));
            gatewayA.failed("dev-" + i, "192.0.2.1");
        }
        awaitFailures(RedisKeys.authFailures("mqtt", "192.0.2.1"), 2);
        assertEquals(Verdict.ALLOW, join(gatewayB.admit("dev-2", "192.0.2.1")), "two failures are free");
        gatewayB.failed("dev-2", "192.0.2.1");
        awaitFailures(RedisKeys.authFailures("mqtt", "192.0.2.1"), 3);

        // The third failure (on gateway B) holds the address back on gateway A too, which never saw it fail again.
        assertEquals(Verdict.QUOTA_EXCEEDED, join(gatewayA.admit("dev-3", "192.0.2.1")));
        assertEquals(Verdict.ALLOW, join(gatewayA.admit("dev-3", "192.0.2.99")), "another address is heard");
        // Hammering on while it must wait counts too: failures 4 and 5 (refused unheard), then the sixth bans.
        assertEquals(Verdict.QUOTA_EXCEEDED, join(gatewayB.admit("dev-4", "192.0.2.1")));
        assertEquals(Verdict.QUOTA_EXCEEDED, join(gatewayB.admit("dev-5", "192.0.2.1")));
        awaitFailures(RedisKeys.authFailures("mqtt", "192.0.2.1"), 6);
        assertEquals(Verdict.BANNED, join(gatewayA.admit("dev-6", "192.0.2.1")));
        assertEquals(List.of("address QUOTA_EXCEEDED", "address QUOTA_EXCEEDED", "address QUOTA_EXCEEDED", "address BANNED"), throttled);
    }

    @Test
    void aClientIdAttackedFromManyAddressesMustWaitOnAnAddressNewToIt() throws Exception {
        gatewayA.failed("dev-x", "198.51.100.1");
        gatewayB.failed("dev-x", "198.51.100.2");
        awaitFailures(RedisKeys.device("dev-x").authFailures(), 2);

        assertEquals(Verdict.QUOTA_EXCEEDED, join(gatewayA.admit("dev-x", "198.51.100.3")));
        assertEquals(Verdict.ALLOW, join(gatewayA.admit("dev-y", "198.51.100.3")), "other devices are not held back");
        assertEquals(List.of("client-id QUOTA_EXCEEDED"), throttled);
    }

    @Test
    void aDeviceOnAnAddressItAuthenticatedFromBeforeIsNeverHeldBack() throws Exception {
        // what a claim leaves when dev-x connects from 203.0.113.5 (see claim.lua)
        one.sync().zadd(RedisKeys.device("dev-x").authOrigins(), 1, "203.0.113.5");
        for (int i = 0; i < 8; i++) {
            gatewayA.failed("dev-x", "203.0.113.5"); // someone behind the same address guesses
        }
        awaitFailures(RedisKeys.authFailures("mqtt", "203.0.113.5"), 8);

        assertEquals(Verdict.ALLOW, join(gatewayB.admit("dev-x", "203.0.113.5")), "the device itself still gets in");
        assertEquals(Verdict.BANNED, join(gatewayB.admit("dev-z", "203.0.113.5")), "guessing another id from there is refused");
    }

    @Test
    void aBurstOfParallelFailuresIsHeldBackBeforeRedisAnswers() throws Exception {
        for (int i = 0; i < 20; i++) {
            gatewayA.failed("dev-" + i, "192.0.2.50"); // all sent before any answer
        }
        // Gateway A knows at once from its own count; the shared count catches up for everyone else.
        assertEquals(Verdict.BANNED, join(gatewayA.admit("dev-99", "192.0.2.50")));
        awaitFailures(RedisKeys.authFailures("mqtt", "192.0.2.50"), 20);
        assertEquals(Verdict.BANNED, join(gatewayB.admit("dev-99", "192.0.2.50")));
    }

    @Test
    void invalidClientIdsCountAgainstTheirAddressOnly() throws Exception {
        gatewayA.failed("not/a/device", "192.0.2.77");
        awaitFailures(RedisKeys.authFailures("mqtt", "192.0.2.77"), 1);
        assertEquals(Verdict.ALLOW, join(gatewayA.admit("not/a/device", "192.0.2.77")));
    }

    private static void awaitFailures(String key, long failures) {
        await().atMost(DEADLINE).until(() -> Long.toString(failures).equals(one.sync().hget(key, "failures")));
    }

    private static <T> T join(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
