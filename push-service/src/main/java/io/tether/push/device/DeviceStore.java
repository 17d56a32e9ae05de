package io.tether.push.device;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeviceFields;
import io.tether.contract.RedisKeys;
import io.tether.push.apns.ApnsEnvironment;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The registry's device records, as push-service reads and prunes them. All Lettuce futures stay in here;
 * callers see {@link CompletionStage}s. A Redis failure fails the stage (the caller retries later).
 */
public final class DeviceStore {
    /**
     * KEYS[1] device record; ARGV[1] the token that was sent, ARGV[2] APNs' invalidation time in epoch millis or
     * '' for none, ARGV[3..5] the token, environment and token-time field names. Deletes the token only if it is
     * still the one sent and was not set again after APNs saw it die: the app may have registered since.
     */
    private static final String INVALIDATE = """
            if redis.call('HGET', KEYS[1], ARGV[3]) ~= ARGV[1] then
              return 0
            end
            if ARGV[2] ~= '' then
              local updated = tonumber(redis.call('HGET', KEYS[1], ARGV[5]) or '0') or 0
              if updated >= tonumber(ARGV[2]) then
                return 0
              end
            end
            redis.call('HDEL', KEYS[1], ARGV[3], ARGV[4], ARGV[5])
            return 1
            """;

    private final RedisAsyncCommands<String, String> redis;

    public DeviceStore(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** The device's push target; empty when the registry has no such device. */
    public CompletionStage<Optional<PushTarget>> find(String deviceId) {
        return redis.hgetall(RedisKeys.device(deviceId).record()).thenApply(fields -> toTarget(deviceId, fields));
    }

    /**
     * Removes a token APNs called dead (atomically, see {@link #INVALIDATE}).
     *
     * @param invalidatedAt APNs' token-invalidation timestamp, when the answer carried one
     * @return whether the token was removed
     */
    public CompletionStage<Boolean> invalidateToken(String deviceId, String token, Optional<Instant> invalidatedAt) {
        // EVAL, not EVALSHA: invalidations are rare and the script is short.
        CompletionStage<Long> removed = redis.eval(INVALIDATE, ScriptOutputType.INTEGER,
                new String[] {RedisKeys.device(deviceId).record()},
                token, invalidatedAt.map(at -> Long.toString(at.toEpochMilli())).orElse(""),
                DeviceFields.PUSH_TOKEN, DeviceFields.PUSH_ENVIRONMENT, DeviceFields.PUSH_TOKEN_UPDATED_AT);
        return removed.thenApply(count -> count != null && count == 1L);
    }

    /** Whether Redis answers (readiness). */
    public CompletionStage<Boolean> ping() {
        return redis.ping().thenApply("PONG"::equals);
    }

    private static Optional<PushTarget> toTarget(String deviceId, Map<String, String> fields) {
        if (fields == null || fields.isEmpty()) {
            return Optional.empty();
        }
        String token = fields.get(DeviceFields.PUSH_TOKEN);
        return Optional.of(new PushTarget(deviceId, fields.get(DeviceFields.PLATFORM), fields.get(DeviceFields.APP_ID),
                token == null || token.isEmpty() ? null : token,
                ApnsEnvironment.ofDevice(fields.get(DeviceFields.PUSH_ENVIRONMENT))));
    }
}
