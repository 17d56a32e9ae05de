package io.tether.fanout.routing;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeliveryStatus;
import io.tether.contract.RedisKeys;
import io.tether.fanout.metrics.FanoutMetrics;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * When queued messages expire, by time, in a few sharded sorted sets: a device that never comes back still
 * gets its messages marked {@code expired} at their TTL, without scanning devices.
 */
public final class ExpiryIndex {
    private static final int BATCH = 500;

    private final RedisAsyncCommands<String, String> redis;
    private final DeviceQueue queue;
    private final int shards;
    private final long finalStatusTtlSeconds;
    private final FanoutMetrics metrics;

    public ExpiryIndex(RedisAsyncCommands<String, String> redis, DeviceQueue queue, int shards, long finalStatusTtlSeconds,
            FanoutMetrics metrics) {
        this.metrics = metrics;
        this.redis = redis;
        this.queue = queue;
        this.shards = shards;
        this.finalStatusTtlSeconds = finalStatusTtlSeconds;
    }

    public CompletionStage<Void> add(String deviceId, String messageId, long expiresAt) {
        return redis.zadd(RedisKeys.expiryShard(RedisKeys.expiryShardOf(deviceId, shards)), expiresAt, deviceId + " " + messageId)
                .thenApply(n -> null);
    }

    /** Marks every message whose TTL has passed as expired (unless it reached a final status first). */
    public CompletionStage<Void> sweep() {
        long now = System.currentTimeMillis();
        List<CompletableFuture<Void>> all = new java.util.ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            all.add(sweep(RedisKeys.expiryShard(shard), now).toCompletableFuture());
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private CompletionStage<Void> sweep(String key, long now) {
        return redis.zrangebyscore(key, Range.create(0d, (double) now), Limit.create(0, BATCH)).thenCompose(members -> {
            List<CompletableFuture<Void>> expired = members.stream().map(member -> {
                String[] parts = member.split(" ", 2);
                return queue.settle(parts[0], parts[1], DeliveryStatus.EXPIRED.wire(), "ttl", null, finalStatusTtlSeconds)
                        .thenCompose(changed -> {
                            metrics.expired(changed ? 1 : 0);
                            return redis.zrem(key, member);
                        })
                        .thenApply(n -> (Void) null)
                        .toCompletableFuture();
            }).toList();
            return CompletableFuture.allOf(expired.toArray(CompletableFuture[]::new))
                    .thenCompose(v -> members.size() == BATCH ? sweep(key, now) : CompletableFuture.completedFuture(null));
        });
    }
}
