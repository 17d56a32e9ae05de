package io.tether.fanout.quota;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.QuotaFields;
import io.tether.contract.RedisKeys;
import io.tether.runtime.redis.LuaScript;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Per-app message quotas, counted in Redis so every fanout instance shares one count: messages per second (a counter
 * per second) and per UTC day (a counter per day), as the registry set them ({@link RedisKeys#appQuota}; none set: no
 * limit). A message is charged to each app whose devices it names; a refused message is charged nothing.
 */
public final class AppQuotas {
    /**
     * KEYS 1 quota hash, 2 this second's counter, 3 today's counter. ARGV 1 messages, 2 seconds until the day ends.
     * Returns {1} when charged, or {0, 'second'|'day', seconds until there is room}.
     */
    private static final LuaScript CHARGE = new LuaScript("""
            local q = redis.call('HMGET', KEYS[1], '%s', '%s')
            local per_second, per_day, n = tonumber(q[1]), tonumber(q[2]), tonumber(ARGV[1])
            if per_second and tonumber(redis.call('GET', KEYS[2]) or '0') + n > per_second then
              return {0, 'second', 1}
            end
            if per_day and tonumber(redis.call('GET', KEYS[3]) or '0') + n > per_day then
              return {0, 'day', tonumber(ARGV[2])}
            end
            if per_second then
              redis.call('INCRBY', KEYS[2], n)
              redis.call('EXPIRE', KEYS[2], 5)
            end
            if per_day then
              redis.call('INCRBY', KEYS[3], n)
              redis.call('EXPIRE', KEYS[3], 90000)
            end
            return {1}
            """.formatted(QuotaFields.MESSAGES_PER_SECOND, QuotaFields.MESSAGES_PER_DAY));
    /** KEYS as CHARGE; ARGV 1 messages. Gives back what CHARGE took (another app of the message refused it). */
    private static final LuaScript REFUND = new LuaScript("""
            local n = tonumber(ARGV[1])
            for i = 2, 3 do
              if tonumber(redis.call('GET', KEYS[i]) or '0') >= n then
                redis.call('DECRBY', KEYS[i], n)
              end
            end
            return 1
            """);

    /** Why a message was refused: the app, the quota ({@code second} or {@code day}) and when to try again. */
    public record Refusal(String appId, String quota, long retryAfterSeconds) {
    }

    private final RedisAsyncCommands<String, String> redis;
    private final LongSupplier clock;
    private final QuotaMetrics metrics;

    public AppQuotas(RedisAsyncCommands<String, String> redis, LongSupplier clock, QuotaMetrics metrics) {
        this.redis = redis;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Charges one message to every app of {@code appIds}; empty when charged, else the first refusal (nothing charged). */
    public CompletionStage<Optional<Refusal>> charge(List<String> appIds) {
        return charge(appIds, now());
    }

    /** As {@link #charge(List)}, counted in the second and day of {@code now} (epoch millis; see {@link #refund}). */
    public CompletionStage<Optional<Refusal>> charge(List<String> appIds, long now) {
        return charge(appIds, 0, new ArrayList<>(), now);
    }

    /** Gives back a charge {@link #charge(List, long)} made at {@code chargedAt}: the message was not sent after all. */
    public CompletionStage<Void> refund(List<String> appIds, long chargedAt) {
        return refund(appIds, chargedAt, true);
    }

    /** This instance's clock (epoch millis), the time a charge counts in. */
    public long now() {
        return clock.getAsLong();
    }

    private CompletionStage<Optional<Refusal>> charge(List<String> appIds, int next, List<String> charged, long now) {
        if (next == appIds.size()) {
            charged.forEach(metrics::accepted);
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String app = appIds.get(next);
        return CHARGE.<List<Object>>run(redis, ScriptOutputType.MULTI, keys(app, now), "1", Long.toString(secondsToMidnight(now)))
                .thenCompose(r -> {
                    if ((Long) r.get(0) == 1L) {
                        charged.add(app);
                        return charge(appIds, next + 1, charged, now);
                    }
                    Refusal refusal = new Refusal(app, (String) r.get(1), (Long) r.get(2));
                    metrics.refused(app, refusal.quota());
                    return refund(charged, now, false).thenApply(v -> Optional.of(refusal));
                });
    }

    /** @param counted whether the charge was counted as accepted in the metrics (it is taken back there too) */
    private CompletionStage<Void> refund(List<String> charged, long now, boolean counted) {
        if (counted) {
            charged.forEach(metrics::refunded);
        }
        return CompletableFuture.allOf(charged.stream()
                .map(app -> REFUND.<Long>run(redis, ScriptOutputType.INTEGER, keys(app, now), "1").toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    private static String[] keys(String app, long now) {
        String day = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).toLocalDate().toString();
        return new String[] {RedisKeys.appQuota(app), RedisKeys.appMessagesInSecond(app, now / 1000), RedisKeys.appMessagesOnDay(app, day)};
    }

    static long secondsToMidnight(long nowMillis) {
        long day = 86_400_000L;
        return Math.max(1, (day - Math.floorMod(nowMillis, day) + 999) / 1000);
    }
}
