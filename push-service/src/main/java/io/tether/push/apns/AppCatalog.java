package io.tether.push.apns;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Publishes the apps this service holds credentials for in {@link RedisKeys#pushApps()}, replacing what was there
 * in one script, so the registry and fanout refuse devices and messages for other apps (and push types and
 * environments the apps may not use) up front. Every instance publishes the same configuration; the last one to
 * start wins, which is right when the configuration changed.
 */
public final class AppCatalog {
    /** KEYS[1] the catalog; ARGV app id, JSON pairs. */
    private static final String REPLACE = """
            redis.call('DEL', KEYS[1])
            if #ARGV > 0 then
              redis.call('HSET', KEYS[1], unpack(ARGV))
            end
            return #ARGV / 2
            """;

    private final RedisAsyncCommands<String, String> redis;

    public AppCatalog(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    public CompletionStage<Void> publish(List<ApnsApp> apps) {
        List<String> args = new ArrayList<>();
        for (ApnsApp app : apps) {
            args.add(app.bundleId());
            args.add(app.describeForCatalog().toJson());
        }
        CompletionStage<Long> written = redis.eval(REPLACE, ScriptOutputType.INTEGER, new String[] {RedisKeys.pushApps()},
                args.toArray(String[]::new));
        return written.thenApply(n -> null);
    }
}
