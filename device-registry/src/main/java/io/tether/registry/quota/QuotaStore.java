package io.tether.registry.quota;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.QuotaFields;
import io.tether.contract.RedisKeys;
import io.tether.registry.store.StoreFailures;
import io.tether.runtime.redis.LuaScript;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Apps' quotas in Redis ({@link RedisKeys#appQuota}), which fanout reads on every message. */
public class QuotaStore {
    /** KEYS[1] the app's quotas; ARGV field, value pairs (none: no quotas). One step, so no reader sees none between. */
    private static final LuaScript REPLACE = new LuaScript("""
            redis.call('DEL', KEYS[1])
            if #ARGV > 0 then
              redis.call('HSET', KEYS[1], unpack(ARGV))
            end
            return 1
            """);
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
        String[] args = fields.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                .toArray(String[]::new);
        return StoreFailures.translate(REPLACE.<Long>run(redis, ScriptOutputType.INTEGER,
                new String[] {RedisKeys.appQuota(appId)}, args).thenApply(n -> null));
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
