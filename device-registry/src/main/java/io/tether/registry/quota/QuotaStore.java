package io.tether.registry.quota;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.QuotaFields;
import io.tether.contract.RedisKeys;
import io.tether.registry.store.StoreFailures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Apps' quotas in Redis ({@link RedisKeys#appQuota}), which fanout reads on every message. */
public class QuotaStore {
    private final RedisAsyncCommands<String, String> redis;

    public QuotaStore(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    public CompletionStage<AppQuota> get(String appId) {
        return StoreFailures.translate(redis.hgetall(RedisKeys.appQuota(appId)).thenApply(fields -> new AppQuota(
                number(fields.get(QuotaFields.MESSAGES_PER_SECOND)), number(fields.get(QuotaFields.MESSAGES_PER_DAY)),
                number(fields.get(QuotaFields.DEVICES)))));
    }

    /** Replaces the app's quotas (a null limit: none). */
    public CompletionStage<Void> put(String appId, AppQuota quota) {
        Map<String, String> fields = new LinkedHashMap<>();
        put(fields, QuotaFields.MESSAGES_PER_SECOND, quota.messagesPerSecond());
        put(fields, QuotaFields.MESSAGES_PER_DAY, quota.messagesPerDay());
        put(fields, QuotaFields.DEVICES, quota.devices());
        String key = RedisKeys.appQuota(appId);
        CompletionStage<Void> cleared = redis.del(key).thenApply(n -> null);
        return StoreFailures.translate(fields.isEmpty() ? cleared : cleared.thenCompose(v -> redis.hset(key, fields)).thenApply(n -> null));
    }

    /** How many devices the app has registered. */
    public CompletionStage<Long> devices(String appId) {
        return StoreFailures.translate(redis.zcard(RedisKeys.appDevices(appId)));
    }

    private static void put(Map<String, String> fields, String field, Long value) {
        if (value != null) {
            fields.put(field, Long.toString(value));
        }
    }

    private static Long number(String value) {
        return value == null ? null : Long.valueOf(value);
    }
}
