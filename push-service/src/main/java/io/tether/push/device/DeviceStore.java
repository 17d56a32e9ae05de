package io.tether.push.device;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeviceFields;
import io.tether.contract.PushTokenKind;
import io.tether.contract.PushTokenSlot;
import io.tether.contract.RedisKeys;
import io.tether.contract.StoredPushToken;
import io.tether.push.apns.ApnsEnvironment;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * The registry's device records and tokens, as push-service reads and prunes them. All Lettuce futures stay in
 * here; callers see {@link CompletionStage}s. A Redis failure fails the stage (the caller retries later).
 */
public final class DeviceStore implements PushTargets {
    private static final Logger LOG = Logger.getLogger(DeviceStore.class);

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

    /**
     * The same for a token of the push-tokens hash (a {@code StoredPushToken} JSON): KEYS[1] that hash; ARGV[1]
     * its field, ARGV[2] the token that was sent, ARGV[3] the invalidation time or ''. Only that field goes.
     */
    private static final String INVALIDATE_SLOT = """
            local value = redis.call('HGET', KEYS[1], ARGV[1])
            if not value then
              return 0
            end
            local ok, stored = pcall(cjson.decode, value)
            if not ok or type(stored) ~= 'table' or stored.token ~= ARGV[2] then
              return 0
            end
            if ARGV[3] ~= '' and (tonumber(stored.updatedAt) or 0) >= tonumber(ARGV[3]) then
              return 0
            end
            redis.call('HDEL', KEYS[1], ARGV[1])
            return 1
            """;

    private final RedisAsyncCommands<String, String> redis;

    public DeviceStore(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** The device's standard push target; empty when the registry has no such device. */
    public CompletionStage<Optional<PushTarget>> find(String deviceId) {
        return find(deviceId, PushTokenSlot.ALERT);
    }

    /** The device with its token of {@code slot}; empty when the registry has no such device. */
    @Override
    public CompletionStage<Optional<PushTarget>> find(String deviceId, PushTokenSlot slot) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        CompletionStage<Map<String, String>> record = redis.hgetall(keys.record());
        CompletionStage<String> stored = slot.kind() == PushTokenKind.ALERT
                ? CompletableFuture.completedFuture(null)
                : redis.hget(keys.pushTokens(), slot.field());
        return record.thenCombine(stored, (fields, json) -> toTarget(deviceId, slot, fields, json));
    }

    /**
     * Removes a token APNs called dead (atomically, see {@link #INVALIDATE}), and only that token: a dead VoIP
     * token leaves the standard token and the Live Activity tokens alone.
     *
     * @param invalidatedAt APNs' token-invalidation timestamp, when the answer carried one
     * @return whether the token was removed
     */
    @Override
    public CompletionStage<Boolean> invalidateToken(String deviceId, PushTokenSlot slot, String token, Optional<Instant> invalidatedAt) {
        String at = invalidatedAt.map(i -> Long.toString(i.toEpochMilli())).orElse("");
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        // EVAL, not EVALSHA: invalidations are rare and the scripts are short.
        CompletionStage<Long> removed = slot.kind() == PushTokenKind.ALERT
                ? redis.eval(INVALIDATE, ScriptOutputType.INTEGER, new String[] {keys.record()}, token, at,
                        DeviceFields.PUSH_TOKEN, DeviceFields.PUSH_ENVIRONMENT, DeviceFields.PUSH_TOKEN_UPDATED_AT)
                : redis.eval(INVALIDATE_SLOT, ScriptOutputType.INTEGER, new String[] {keys.pushTokens()}, slot.field(), token, at);
        return removed.thenApply(count -> count != null && count == 1L);
    }

    /** The device's standard token (see {@link #invalidateToken(String, PushTokenSlot, String, Optional)}). */
    public CompletionStage<Boolean> invalidateToken(String deviceId, String token, Optional<Instant> invalidatedAt) {
        return invalidateToken(deviceId, PushTokenSlot.ALERT, token, invalidatedAt);
    }

    /** Whether Redis answers (readiness). */
    public CompletionStage<Boolean> ping() {
        return redis.ping().thenApply("PONG"::equals);
    }

    private static Optional<PushTarget> toTarget(String deviceId, PushTokenSlot slot, Map<String, String> fields, String stored) {
        if (fields == null || fields.isEmpty()) {
            return Optional.empty();
        }
        String token;
        String environment;
        long updatedAt;
        if (slot.kind() == PushTokenKind.ALERT) {
            token = fields.get(DeviceFields.PUSH_TOKEN);
            environment = fields.get(DeviceFields.PUSH_ENVIRONMENT);
            updatedAt = parseLong(fields.get(DeviceFields.PUSH_TOKEN_UPDATED_AT));
        } else {
            StoredPushToken parsed = parse(deviceId, slot, stored);
            token = parsed == null ? null : parsed.token();
            environment = parsed == null ? null : parsed.environment();
            updatedAt = parsed == null ? 0 : parsed.updatedAt();
        }
        return Optional.of(new PushTarget(deviceId, fields.get(DeviceFields.PLATFORM), fields.get(DeviceFields.APP_ID), slot,
                token == null || token.isEmpty() ? null : token, ApnsEnvironment.ofDevice(environment), updatedAt));
    }

    private static StoredPushToken parse(String deviceId, PushTokenSlot slot, String json) {
        if (json == null) {
            return null;
        }
        try {
            return StoredPushToken.fromJson(json);
        } catch (IllegalArgumentException e) {
            LOG.warnf("device %s: unreadable %s token ignored", deviceId, slot);
            return null;
        }
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
