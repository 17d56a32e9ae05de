package io.tether.registry.apikey;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.ApiKeyFields;
import io.tether.contract.RedisKeys;
import io.tether.runtime.redis.LuaScript;
import io.tether.registry.store.StoreFailures;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Backend API keys in Redis: the hash {@link RedisKeys#apiKey} under the key's SHA-256 (what every service's
 * verifier reads), the id index {@link RedisKeys#apiKeyIds} (id to digest) and the unique names
 * {@link RedisKeys#apiKeyNames} (name to id), changed together by Lua scripts. The three keys have no common
 * hash tag: standalone Redis, like the device indexes.
 */
public class ApiKeyStore {
    /** Result of {@link #create}. */
    public enum Created { CREATED, NAME_TAKEN, ID_TAKEN }

    /** KEYS record, ids, names; ARGV id, name, digest, then field, value pairs. 1 created, 0 name taken, -1 id or digest taken. */
    private static final LuaScript CREATE = new LuaScript("""
            if redis.call('HEXISTS', KEYS[3], ARGV[2]) == 1 then
              return 0
            end
            if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
              return -1
            end
            redis.call('HSET', KEYS[1], unpack(ARGV, 4))
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
            redis.call('HSET', KEYS[3], ARGV[2], ARGV[1])
            return 1
            """);

    /** KEYS record, ids, names; ARGV id, the digest the id index held when read. 1 deleted, 0 not (any more). */
    private static final LuaScript DELETE = new LuaScript("""
            if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then
              return 0
            end
            local name = redis.call('HGET', KEYS[1], 'name')
            redis.call('DEL', KEYS[1])
            redis.call('HDEL', KEYS[2], ARGV[1])
            if name and redis.call('HGET', KEYS[3], name) == ARGV[1] then
              redis.call('HDEL', KEYS[3], name)
            end
            return 1
            """);

    private final RedisAsyncCommands<String, String> redis;

    public ApiKeyStore(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    public CompletionStage<Created> create(ApiKey key, String digest) {
        String[] keys = {RedisKeys.apiKey(digest), RedisKeys.apiKeyIds(), RedisKeys.apiKeyNames()};
        String[] args = {key.id(), key.name(), digest,
                ApiKeyFields.ID, key.id(),
                ApiKeyFields.NAME, key.name(),
                ApiKeyFields.SCOPES, String.join(",", new TreeSet<>(key.scopes())),
                ApiKeyFields.CREATED_AT, Long.toString(key.createdAt().toEpochMilli()),
                ApiKeyFields.APPS, String.join(",", new TreeSet<>(key.apps()))};
        CompletionStage<Long> result = CREATE.run(redis, ScriptOutputType.INTEGER, keys, args);
        return StoreFailures.translate(result.thenApply(n -> n == 1L ? Created.CREATED : n == 0L ? Created.NAME_TAKEN : Created.ID_TAKEN));
    }

    /** Oldest first. */
    public CompletionStage<List<ApiKey>> list() {
        return StoreFailures.translate(redis.hgetall(RedisKeys.apiKeyIds()).thenCompose(ids -> {
            List<CompletableFuture<Optional<ApiKey>>> reads = ids.values().stream()
                    .map(digest -> redis.hgetall(RedisKeys.apiKey(digest)).thenApply(ApiKeyStore::fromFields).toCompletableFuture())
                    .toList();
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> reads.stream()
                    .flatMap(read -> read.join().stream())
                    .sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id))
                    .toList());
        }));
    }

    /** The digest of the key with this id, and whether it was deleted; empty when there is no such key. */
    public CompletionStage<Optional<String>> delete(String id) {
        return StoreFailures.translate(redis.hget(RedisKeys.apiKeyIds(), id).thenCompose(digest -> {
            if (digest == null) {
                return CompletableFuture.completedFuture(Optional.<String>empty());
            }
            String[] keys = {RedisKeys.apiKey(digest), RedisKeys.apiKeyIds(), RedisKeys.apiKeyNames()};
            return DELETE.<Long>run(redis, ScriptOutputType.INTEGER, keys, id, digest)
                    .thenApply(n -> n == 1L ? Optional.of(digest) : Optional.<String>empty());
        }));
    }

    private static Optional<ApiKey> fromFields(Map<String, String> fields) {
        if (fields == null || fields.get(ApiKeyFields.ID) == null) {
            return Optional.empty();
        }
        String scopes = fields.getOrDefault(ApiKeyFields.SCOPES, "");
        String apps = fields.getOrDefault(ApiKeyFields.APPS, "");
        return Optional.of(new ApiKey(fields.get(ApiKeyFields.ID), fields.getOrDefault(ApiKeyFields.NAME, ""),
                scopes.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(scopes.split(","))),
                Instant.ofEpochMilli(Long.parseLong(fields.getOrDefault(ApiKeyFields.CREATED_AT, "0"))),
                apps.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(apps.split(",")))));
    }
}
