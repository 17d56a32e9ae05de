package io.tether.gateway.store;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeviceFields;
import io.lettuce.core.ScriptOutputType;
import io.tether.contract.PushTokenKind;
import io.tether.contract.PushTokenScripts;
import io.tether.contract.PushTokenSlot;
import io.tether.contract.RedisKeys;
import io.tether.contract.StoredPushToken;
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

    /**
     * Stores (or with a null token removes) a token of any kind the device reported itself; false when the device
     * record is gone. The standard token stays in the device hash, the others go through the registry's script.
     *
     * @throws IllegalStateException in the stage when the device holds too many tokens already
     */
    public CompletionStage<Boolean> updatePushToken(String deviceId, PushTokenSlot slot, String token, String environment,
            String activityType) {
        if (slot.kind() == PushTokenKind.ALERT) {
            if (token == null) {
                String record = RedisKeys.device(deviceId).record();
                return redis.exists(record).thenCompose(n -> n == 0 ? CompletableFuture.completedFuture(false)
                        : redis.hdel(record, DeviceFields.PUSH_TOKEN, DeviceFields.PUSH_ENVIRONMENT, DeviceFields.PUSH_TOKEN_UPDATED_AT)
                                .thenApply(x -> true));
            }
            return updatePushToken(deviceId, token, environment);
        }
        long now = System.currentTimeMillis();
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        StoredPushToken stored = token == null ? null : new StoredPushToken(token, environment, now, activityType);
        CompletionStage<Long> result = redis.eval(PushTokenScripts.SET, ScriptOutputType.INTEGER,
                new String[] {keys.record(), keys.pushTokens()}, PushTokenScripts.setArgs(slot, stored, now));
        return result.thenApply(n -> {
            if (n != null && n < 0) {
                throw new IllegalStateException("device holds " + PushTokenScripts.MAX_TOKENS + " push tokens already");
            }
            return n != null && n == 1L;
        });
    }

    /** Stores a standard push token the device reported itself; false when the device record is gone. */
    public CompletionStage<Boolean> updatePushToken(String deviceId, String token, String environment) {
        String record = RedisKeys.device(deviceId).record();
        return redis.exists(record).thenCompose(n -> n == 0 ? CompletableFuture.completedFuture(false)
                : redis.hset(record, Map.of(
                        DeviceFields.PUSH_TOKEN, token,
                        DeviceFields.PUSH_ENVIRONMENT, environment,
                        DeviceFields.PUSH_TOKEN_UPDATED_AT, Long.toString(System.currentTimeMillis()),
                        DeviceFields.UPDATED_AT, Long.toString(System.currentTimeMillis()))).thenApply(x -> true));
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
