package io.tether.registry.device;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeviceFields;
import io.tether.contract.PushTokenScripts;
import io.tether.contract.PushTokenSlot;
import io.tether.contract.RedisKeys;
import io.tether.contract.StoredPushToken;
import io.tether.runtime.redis.LuaScript;
import io.tether.registry.store.StoreFailures;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A device's tokens other than the standard one (VoIP, push-to-start per activity type, one per running Live
 * Activity), in {@link RedisKeys.Device#pushTokens()}, written by {@link PushTokenScripts#SET} as the gateway
 * writes them when the device reports them itself.
 */
public class PushTokens {
    private static final LuaScript SET = new LuaScript(PushTokenScripts.SET);

    /** How a write ended. */
    public enum Result { DONE, NO_DEVICE, FULL }

    private final RedisAsyncCommands<String, String> redis;
    private final Clock clock;

    public PushTokens(RedisAsyncCommands<String, String> redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** @param token lowercase hex; null removes the slot's token */
    public CompletionStage<Result> set(String deviceId, PushTokenSlot slot, String token, PushEnvironment environment,
            String activityType) {
        long now = clock.millis();
        StoredPushToken stored = token == null ? null : new StoredPushToken(token, environment.wire(), now, activityType);
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        CompletionStage<Long> result = SET.run(redis, ScriptOutputType.INTEGER, new String[] {keys.record(), keys.pushTokens()},
                PushTokenScripts.setArgs(slot, stored, now));
        return StoreFailures.translate(result.thenApply(n -> n == 1L ? Result.DONE : n == 0L ? Result.NO_DEVICE : Result.FULL));
    }

    /** Which tokens the device has, by slot (the standard one as {@link PushTokenSlot#ALERT}); empty for no device. */
    public CompletionStage<Optional<Map<PushTokenSlot, StoredPushToken>>> list(String deviceId) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        CompletionStage<Map<String, String>> record = redis.hgetall(keys.record());
        CompletionStage<Map<String, String>> others = redis.hgetall(keys.pushTokens());
        return StoreFailures.translate(record.thenCombine(others, (fields, stored) -> {
            if (fields == null || fields.isEmpty()) {
                return Optional.empty();
            }
            Map<PushTokenSlot, StoredPushToken> tokens = new LinkedHashMap<>();
            if (fields.get(DeviceFields.PUSH_TOKEN) != null) {
                tokens.put(PushTokenSlot.ALERT, new StoredPushToken(fields.get(DeviceFields.PUSH_TOKEN),
                        fields.getOrDefault(DeviceFields.PUSH_ENVIRONMENT, "production"),
                        Long.parseLong(fields.getOrDefault(DeviceFields.PUSH_TOKEN_UPDATED_AT, "0")), null));
            }
            new java.util.TreeMap<>(stored).forEach((field, json) -> PushTokenSlot.ofField(field).ifPresent(slot -> {
                try {
                    tokens.put(slot, StoredPushToken.fromJson(json));
                } catch (IllegalArgumentException unreadable) {
                    // Not shown; push-service ignores it too.
                }
            }));
            return Optional.of(tokens);
        }));
    }
}
