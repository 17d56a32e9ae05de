package io.tether.runtime.limit;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.runtime.redis.LuaScript;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Failed authentications by source, counted in Redis so that every instance of a service sees the same count: a limit
 * holds however many replicas run. One hash per source, with a TTL (the policy's window). Lettuce futures stay here.
 */
public final class FailureLog {
    private static final LuaScript RECORD = LuaScript.load(FailureLog.class, "limit/auth-failure.lua");

    private final RedisAsyncCommands<String, String> redis;
    private final LongSupplier clock;

    /** @param clock epoch ms; instances compare times they wrote, so their clocks must agree (NTP) */
    public FailureLog(RedisAsyncCommands<String, String> redis, LongSupplier clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** Counts one failure of the source at {@code key} and returns where it stands now. */
    public CompletionStage<Standing> record(String key, FailurePolicy policy) {
        List<String> args = new java.util.ArrayList<>(List.of(Long.toString(clock.getAsLong()), Long.toString(policy.window().toMillis()),
                Long.toString(policy.bans() ? policy.ban().toMillis() : 0)));
        args.addAll(policy.schedule());
        return RECORD.<List<Long>>run(redis, ScriptOutputType.MULTI, new String[] {key}, args.toArray(String[]::new))
                .thenApply(r -> new Standing(r.get(0), r.get(1), r.get(2)));
    }

    /** Where the source at {@code key} stands, without counting anything. */
    public CompletionStage<Standing> read(String key) {
        return redis.hmget(key, "failures", "blockedUntil", "bannedUntil").thenApply(values -> new Standing(
                number(values.get(0).getValueOrElse(null)), number(values.get(1).getValueOrElse(null)),
                number(values.get(2).getValueOrElse(null))));
    }

    public long now() {
        return clock.getAsLong();
    }

    private static long number(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }
}
