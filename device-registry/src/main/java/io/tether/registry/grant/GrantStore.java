package io.tether.registry.grant;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.RedisKeys;
import io.tether.runtime.redis.LuaScript;
import io.tether.registry.store.StoreFailures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Topic grants of devices ({@code RedisKeys.device(id).grants()}) and of users ({@code RedisKeys.userGrants}):
 * hashes of filter to actions. A device's grants share its hash tag, so replacing them is cluster-safe; a
 * user's grants need no device to exist (users exist through their devices' records).
 */
public class GrantStore {
    /** KEYS[1] grants hash, KEYS[2] the device record if any. ARGV filter, actions pairs. 1 done, 0 no such device. */
    private static final LuaScript REPLACE = new LuaScript("""
            if KEYS[2] and redis.call('EXISTS', KEYS[2]) == 0 then
              return 0
            end
            redis.call('DEL', KEYS[1])
            if #ARGV > 0 then
              redis.call('HSET', KEYS[1], unpack(ARGV))
            end
            return 1
            """);

    private final RedisAsyncCommands<String, String> redis;

    public GrantStore(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** Replaces all of a device's grants at once (none: removes them); false when there is no such device. */
    public CompletionStage<Boolean> replaceForDevice(String deviceId, List<Grant> grants) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        return replace(new String[] {keys.grants(), keys.record()}, grants).thenApply(n -> n == 1L);
    }

    /** Empty when there is no such device. */
    public CompletionStage<Optional<List<Grant>>> forDevice(String deviceId) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        CompletionStage<Long> exists = redis.exists(keys.record());
        return StoreFailures.translate(exists.thenCompose(n -> n == 0
                ? CompletableFuture.completedFuture(Optional.<List<Grant>>empty())
                : redis.hgetall(keys.grants()).thenApply(hash -> Optional.of(toGrants(hash)))));
    }

    public CompletionStage<Void> replaceForUser(String userId, List<Grant> grants) {
        return replace(new String[] {RedisKeys.userGrants(userId)}, grants).thenApply(n -> null);
    }

    public CompletionStage<List<Grant>> forUser(String userId) {
        return StoreFailures.translate(redis.hgetall(RedisKeys.userGrants(userId)).thenApply(GrantStore::toGrants));
    }

    private CompletionStage<Long> replace(String[] keys, List<Grant> grants) {
        List<String> args = new ArrayList<>();
        for (Grant grant : grants) {
            args.add(grant.filter());
            args.add(grant.storedActions());
        }
        return StoreFailures.translate(REPLACE.run(redis, ScriptOutputType.INTEGER, keys, args.toArray(String[]::new)));
    }

    /** In filter order, so answers are stable. */
    private static List<Grant> toGrants(Map<String, String> hash) {
        return hash.entrySet().stream()
                .map(entry -> Grant.fromStored(entry.getKey(), entry.getValue()))
                .filter(Objects::nonNull)
                .sorted(Comparator.comparing(Grant::filter))
                .toList();
    }
}
