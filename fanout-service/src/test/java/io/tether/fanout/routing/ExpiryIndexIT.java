package io.tether.fanout.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.contract.RedisKeys;
import io.tether.fanout.metrics.FanoutMetrics;
import io.tether.inbox.Inbox;
import io.tether.testkit.RedisFixture;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The expiry sweep's index writes against a real Redis, with the inbox's answer staged. */
class ExpiryIndexIT {
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static RedisAsyncCommands<String, String> redis;

    @BeforeAll
    static void start() {
        StatefulRedisConnection<String, String> connection = REDIS.connect();
        redis = connection.async();
    }

    @BeforeEach
    void emptyIndex() throws Exception {
        redis.del(RedisKeys.expiryShard(0)).get(5, TimeUnit.SECONDS); // one shard in these tests
    }

    /** The inbox as the sweep uses it: what expire answers, and what happens in Redis meanwhile. */
    private static final class StagedInbox extends FakeInbox {
        Inbox.Expired answer = new Inbox.Expired(0, 0, List.of());
        /** Redis writes made while the inbox expires (never blocking: this runs on the Redis client's thread). */
        Supplier<CompletionStage<?>> meanwhile = () -> CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Inbox.Expired> expire(String deviceId) {
            return meanwhile.get().thenApply(v -> answer);
        }
    }

    private static Double score(String key, String device) throws Exception {
        return redis.zscore(key, device).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aDeviceRoutingIndexedAgainDuringTheSweepStaysIndexedEvenAtATimeAlreadyDue() throws Exception {
        String device = "dev-sweep-race-" + System.nanoTime();
        String key = RedisKeys.expiryShard(RedisKeys.expiryShardOf(device, 1));
        long now = System.currentTimeMillis();
        redis.zadd(key, now - 10_000, device).get(5, TimeUnit.SECONDS);
        StagedInbox inbox = new StagedInbox();
        // The sweep empties the inbox (nothing left: next 0); meanwhile a message that had expired before it was
        // routed is queued, and routing indexes the device at its (past) expiry.
        inbox.answer = new Inbox.Expired(1, 0, List.of("old"));
        inbox.meanwhile = () -> redis.zadd(key, now - 5_000, device);

        new ExpiryIndex(redis, inbox, 1, new FanoutMetrics(new SimpleMeterRegistry())).sweep().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        assertEquals((double) (now - 5_000), score(key, device), "left for the next sweep, which expires the late message");
    }

    @Test
    void aDueDeviceNobodyIndexedMeanwhileMovesToItsNextExpiryOrLeaves() throws Exception {
        long now = System.currentTimeMillis();
        String staying = "dev-next-" + System.nanoTime();
        String leaving = "dev-done-" + System.nanoTime();
        StagedInbox inbox = new StagedInbox();
        String stayingKey = RedisKeys.expiryShard(RedisKeys.expiryShardOf(staying, 1));
        redis.zadd(stayingKey, now - 1_000, staying).get(5, TimeUnit.SECONDS);
        inbox.answer = new Inbox.Expired(1, now + 60_000, List.of("a"));
        ExpiryIndex index = new ExpiryIndex(redis, inbox, 1, new FanoutMetrics(new SimpleMeterRegistry()));
        index.sweep().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals((double) (now + 60_000), score(stayingKey, staying));

        String leavingKey = RedisKeys.expiryShard(RedisKeys.expiryShardOf(leaving, 1));
        redis.zadd(leavingKey, now - 1_000, leaving).get(5, TimeUnit.SECONDS);
        inbox.answer = new Inbox.Expired(1, 0, List.of("b"));
        index.sweep().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertNull(score(leavingKey, leaving));
    }
}
