package io.tether.fanout.routing;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.RedisKeys;
import io.tether.fanout.events.StatusEvents;
import io.tether.fanout.metrics.FanoutMetrics;
import io.tether.inbox.Inbox;
import io.tether.runtime.redis.LuaScript;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * When queued messages expire, without scanning devices: each device with queued messages is in one of a few
 * sharded sorted sets, scored by its earliest expiry (the inbox script says when that moves earlier, so a device
 * getting a steady stream costs one write per TTL, not one per message). The sweep expires what is due in each due
 * device's inbox and indexes the device again at its next expiry.
 */
public final class ExpiryIndex {
    private static final int BATCH = 500;
    /**
     * Moves a due device to its next expiry, or takes it out; leaves a score that someone moved meanwhile (ARGV 2: the
     * score the sweep read). Routing may index the device again during the sweep even at a time already due (a message
     * that expired before it was routed): a check against the sweep's clock would take that entry out for good.
     */
    private static final LuaScript REINDEX = new LuaScript("""
            local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if not score or tonumber(score) ~= tonumber(ARGV[2]) then
              return 0
            end
            if tonumber(ARGV[3]) > 0 then
              return redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
            end
            return redis.call('ZREM', KEYS[1], ARGV[1])
            """);

    private final RedisAsyncCommands<String, String> redis;
    private final Inbox inbox;
    private final int shards;
    private final FanoutMetrics metrics;
    private final StatusEvents events;

    public ExpiryIndex(RedisAsyncCommands<String, String> redis, Inbox inbox, int shards, FanoutMetrics metrics) {
        this(redis, inbox, shards, metrics, StatusEvents.NONE);
    }

    /** @param events where the messages it expires are reported */
    public ExpiryIndex(RedisAsyncCommands<String, String> redis, Inbox inbox, int shards, FanoutMetrics metrics, StatusEvents events) {
        this.events = events;
        this.redis = redis;
        this.inbox = inbox;
        this.shards = shards;
        this.metrics = metrics;
    }

    /** The device's earliest expiry is now {@code at}. */
    public CompletionStage<Void> index(String deviceId, long at) {
        return redis.zadd(shardOf(deviceId), at, deviceId).thenApply(n -> null);
    }

    /** Expires everything past its TTL (unless it reached a final status first). */
    public CompletionStage<Void> sweep() {
        long now = System.currentTimeMillis();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            all.add(sweep(RedisKeys.expiryShard(shard), now).toCompletableFuture());
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private CompletionStage<Void> sweep(String key, long now) {
        return redis.zrangebyscoreWithScores(key, Range.create(0d, (double) now), Limit.create(0, BATCH)).thenCompose(members -> {
            CompletableFuture<?>[] due = members.stream()
                    .map(member -> expire(key, member.getValue(), (long) member.getScore()).toCompletableFuture())
                    .toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(due)
                    .thenCompose(v -> members.size() == BATCH ? sweep(key, now) : CompletableFuture.completedFuture(null));
        });
    }

    /** @param score the device's index time as the sweep read it */
    private CompletionStage<Void> expire(String key, String member, long score) {
        // Before the per-device index, members were "<device> <message>".
        String deviceId = member.contains(" ") ? member.substring(0, member.indexOf(' ')) : member;
        return inbox.expire(deviceId).thenCompose(expired -> events.statuses(deviceId, expired.expiredIds(), "expired", "ttl")
                .thenApply(v -> expired)).thenCompose(expired -> {
            metrics.expired(expired.expired());
            if (!member.equals(deviceId)) {
                return redis.zrem(key, member).thenCompose(n -> expired.nextAt() > 0 ? index(deviceId, expired.nextAt())
                        : CompletableFuture.completedFuture(null));
            }
            return REINDEX.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {key}, member, Long.toString(score),
                    Long.toString(expired.nextAt())).thenApply(n -> (Void) null);
        });
    }

    private String shardOf(String deviceId) {
        return RedisKeys.expiryShard(RedisKeys.expiryShardOf(deviceId, shards));
    }
}
