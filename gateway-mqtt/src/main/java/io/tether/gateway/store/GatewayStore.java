package io.tether.gateway.store;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeviceFields;
import io.tether.contract.RedisKeys;
import java.time.Duration;
import java.util.Optional;
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

    /** Announces this instance (fanout watches the set) and refreshes its heartbeat. */
    public CompletionStage<Void> heartbeat(String gatewayId, Duration ttl) {
        return redis.sadd(RedisKeys.gateways(), gatewayId)
                .thenCompose(n -> redis.set(RedisKeys.gatewayHeartbeat(gatewayId), "1", SetArgs.Builder.px(ttl.toMillis())))
                .thenApply(ok -> null);
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
