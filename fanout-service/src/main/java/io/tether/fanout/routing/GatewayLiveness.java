package io.tether.fanout.routing;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.RedisKeys;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a gateway instance still heartbeats. Answers are cached for a fraction of the heartbeat TTL: every
 * message would otherwise cost one more Redis round trip for a fact that changes rarely.
 */
public final class GatewayLiveness {
    private final RedisAsyncCommands<String, String> redis;
    private final long cacheMillis;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    private record Seen(boolean alive, long atMillis) {
    }

    public GatewayLiveness(RedisAsyncCommands<String, String> redis, long cacheMillis) {
        this.redis = redis;
        this.cacheMillis = cacheMillis;
    }

    public CompletionStage<Boolean> isAlive(String gatewayId) {
        long now = System.currentTimeMillis();
        Seen cached = seen.get(gatewayId);
        if (cached != null && now - cached.atMillis() < cacheMillis) {
            return CompletableFuture.completedFuture(cached.alive());
        }
        return redis.exists(RedisKeys.gatewayHeartbeat(gatewayId)).thenApply(n -> {
            boolean alive = n == 1L;
            seen.put(gatewayId, new Seen(alive, now));
            return alive;
        });
    }
}
