package io.tether.runtime.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.StatefulRedisConnection;
import io.tether.testkit.RedisFixture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The failure script in a real redis-server: what two instances count together, and what it sets. */
class FailureLogIT {
    private static final String KEY = "tether:{af:test:10.0.0.1}";
    private static final FailurePolicy POLICY = new FailurePolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(4), 6,
            Duration.ofMinutes(15), Duration.ofMinutes(10));

    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static StatefulRedisConnection<String, String> one;
    private static StatefulRedisConnection<String, String> other;
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);

    @BeforeAll
    static void connect() {
        one = REDIS.connect();
        other = REDIS.connect();
    }

    @BeforeEach
    void clean() {
        one.sync().flushall();
    }

    @Test
    void failuresOnTwoInstancesCountTogetherAndFollowTheSchedule() throws Exception {
        FailureLog first = new FailureLog(one.async(), now::get);
        FailureLog second = new FailureLog(other.async(), now::get);

        assertEquals(new Standing(1, 0, 0), join(first.record(KEY, POLICY)));
        assertEquals(new Standing(2, 0, 0), join(second.record(KEY, POLICY)));
        assertEquals(new Standing(3, now.get() + 1000, 0), join(first.record(KEY, POLICY)));
        assertEquals(new Standing(4, now.get() + 2000, 0), join(second.record(KEY, POLICY)));
        assertEquals(new Standing(4, now.get() + 2000, 0), join(first.read(KEY)));
    }

    @Test
    void failuresBeyondBanAfterBanTheSourceAndKeepTheCountAsLongAsTheBan() throws Exception {
        FailureLog log = new FailureLog(one.async(), now::get);
        for (int i = 0; i < 6; i++) {
            assertTrue(join(log.record(KEY, POLICY)).bannedUntil() == 0);
        }
        Standing banned = join(log.record(KEY, POLICY));

        assertEquals(now.get() + Duration.ofMinutes(15).toMillis(), banned.bannedUntil());
        assertTrue(banned.bannedAt(now.get()));
        assertTrue(one.sync().pttl(KEY) > Duration.ofMinutes(14).toMillis(), "the count lives at least as long as the ban");
    }

    @Test
    void aCountLivesForTheWindowAfterTheLastFailure() throws Exception {
        join(new FailureLog(one.async(), now::get).record(KEY, POLICY));
        long ttl = one.sync().pttl(KEY);
        assertTrue(ttl > Duration.ofMinutes(9).toMillis() && ttl <= Duration.ofMinutes(10).toMillis(), "ttl " + ttl);
    }

    @Test
    void concurrentFailuresAreEachCountedOnce() throws Exception {
        FailureLog first = new FailureLog(one.async(), now::get);
        FailureLog second = new FailureLog(other.async(), now::get);
        CompletableFuture<?>[] all = IntStream.range(0, 200)
                .mapToObj(i -> (i % 2 == 0 ? first : second).record(KEY, POLICY).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(all).get(10, TimeUnit.SECONDS);

        assertEquals(200, join(first.read(KEY)).failures());
    }

    @Test
    void anUnknownSourceStandsClean() throws Exception {
        assertEquals(Standing.CLEAN, join(new FailureLog(one.async(), now::get).read("tether:{af:test:nobody}")));
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
