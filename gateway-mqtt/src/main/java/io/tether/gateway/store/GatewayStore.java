package io.tether.gateway.store;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeviceFields;
import io.tether.contract.RedisKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What the gateway reads and writes in Redis. All Lettuce futures stay inside this class. */
public final class GatewayStore {
    private final RedisAsyncCommands<String, String> redis;

    public GatewayStore(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** The stored SHA-256 of the device's MQTT password, empty when the device is unknown. */
    public CompletionStage<Optional<String>> secretHash(String deviceId) {
        return redis.hget(RedisKeys.device(deviceId).record(), DeviceFields.SECRET_HASH).thenApply(Optional::ofNullable);
    }

    /** The device's own grants and its user's, as the registry stores them (filter → actions). */
    public CompletionStage<List<Map<String, String>>> grants(String deviceId) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        CompletionStage<Map<String, String>> own = redis.hgetall(keys.grants());
        CompletionStage<Map<String, String>> users = redis.hget(keys.record(), DeviceFields.USER_ID)
                .thenCompose(user -> user == null ? CompletableFuture.completedFuture(Map.<String, String>of())
                        : redis.hgetall(RedisKeys.userGrants(user)));
        return own.thenCombine(users, List::of);
    }

    /** Stores a push token the device reported itself; false when the device record is gone. */
    public CompletionStage<Boolean> updatePushToken(String deviceId, String token, String environment) {
        String record = RedisKeys.device(deviceId).record();
        return redis.exists(record).thenCompose(n -> n == 0 ? CompletableFuture.completedFuture(false)
                : redis.hset(record, Map.of(
                        DeviceFields.PUSH_TOKEN, token,
                        DeviceFields.PUSH_ENVIRONMENT, environment,
                        DeviceFields.PUSH_TOKEN_UPDATED_AT, Long.toString(System.currentTimeMillis()),
                        DeviceFields.UPDATED_AT, Long.toString(System.currentTimeMillis()))).thenApply(x -> true));
    }

    /**
     * Announces this instance (fanout watches the set) and refreshes its heartbeat; true when the heartbeat had
     * lapsed before this beat (the first beat of an instance, Redis restarted or lost data, or a beat came too late).
     */
    public CompletionStage<Boolean> heartbeat(String gatewayId, Duration ttl) {
        return redis.sadd(RedisKeys.gateways(), gatewayId)
                .thenCompose(n -> redis.setGet(RedisKeys.gatewayHeartbeat(gatewayId), "1", SetArgs.Builder.px(ttl.toMillis())))
                .thenApply(previous -> previous == null);
    }

    public CompletionStage<Void> addDevice(String gatewayId, String deviceId) {
        return redis.sadd(RedisKeys.gatewayDevices(gatewayId), deviceId).thenApply(n -> null);
    }

    public CompletionStage<Void> removeDevice(String gatewayId, String deviceId) {
        return redis.srem(RedisKeys.gatewayDevices(gatewayId), deviceId).thenApply(n -> null);
    }

    /**
     * A new connection epoch for the device. INCR is atomic across all gateways, so epochs grow
     * monotonically whichever gateway the device connects to.
     */
    public CompletionStage<Long> nextEpoch(String deviceId) {
        return redis.incr(RedisKeys.device(deviceId).epoch());
    }
}
