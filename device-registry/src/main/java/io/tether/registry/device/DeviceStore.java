package io.tether.registry.device;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeviceFields;
import io.tether.contract.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Device records in Redis: the hash {@code RedisKeys.device(id).record()} and the user index
 * {@code RedisKeys.userDevices(userId)}. Record and index change together in one Lua script, so the
 * index never names a device that does not exist or misses one that does. (A MULTI on the shared
 * connection would interleave with other requests' commands.) All RedisFuture handling stays here;
 * connection failures and timeouts surface as {@link StoreUnavailableException}.
 *
 * <p>Redis Cluster: the record and the user index have different hash tags, so these scripts need
 * both on one node (standalone Redis, or a cluster-aware redesign of the index).
 */
public class DeviceStore {
    /** KEYS[1] record, KEYS[2] user index if any; ARGV[1] device id, ARGV[2..] field, value pairs. */
    private static final LuaScript CREATE = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 1 then
              return 0
            end
            redis.call('HSET', KEYS[1], unpack(ARGV, 2))
            if KEYS[2] then
              redis.call('SADD', KEYS[2], ARGV[1])
            end
            return 1
            """);

    /**
     * KEYS[1] record, KEYS[2] user index if any; ARGV[1] device id, ARGV[2] the user field name,
     * ARGV[3] the user id the caller read ('' for none). Returns 1 deleted, 0 no such device, -1 the
     * user changed since it was read (the caller passed the wrong index key and must read again).
     */
    private static final LuaScript DELETE = new LuaScript("""
            local user = redis.call('HGET', KEYS[1], ARGV[2])
            if not user then
              if redis.call('EXISTS', KEYS[1]) == 0 then
                return 0
              end
              user = ''
            end
            if user ~= ARGV[3] then
              return -1
            end
            redis.call('DEL', KEYS[1])
            if KEYS[2] then
              redis.call('SREM', KEYS[2], ARGV[1])
            end
            return 1
            """);

    private static final int DELETE_ATTEMPTS = 3;

    private final RedisAsyncCommands<String, String> redis;

    public DeviceStore(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** Stores a new device and indexes it under its user; false (and nothing written) if the id is taken. */
    public CompletionStage<Boolean> create(Device device) {
        List<String> args = new ArrayList<>();
        args.add(device.id());
        DeviceHash.toFields(device).forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        CompletionStage<Long> created = CREATE.run(redis, ScriptOutputType.INTEGER, keys(device.id(), device.userId()),
                args.toArray(String[]::new));
        return translateFailures(created.thenApply(result -> result == 1L));
    }

    public CompletionStage<Optional<Device>> find(String id) {
        CompletionStage<Map<String, String>> fields = redis.hgetall(RedisKeys.device(id).record());
        return translateFailures(fields.thenApply(hash -> hash == null || hash.isEmpty()
                ? Optional.empty()
                : Optional.of(DeviceHash.fromFields(id, hash))));
    }

    /** Deletes the record and its user index entry together; false if there was no such device. */
    public CompletionStage<Boolean> delete(String id) {
        return translateFailures(deleteAttempt(id, 1));
    }

    /** Completes when Redis answers a PING. */
    public CompletionStage<Void> ping() {
        return translateFailures(redis.ping().thenAccept(pong -> {
        }));
    }

    private CompletionStage<Boolean> deleteAttempt(String id, int attempt) {
        String record = RedisKeys.device(id).record();
        return redis.hget(record, DeviceFields.USER_ID).thenCompose(userId -> {
            CompletionStage<Long> result = DELETE.run(redis, ScriptOutputType.INTEGER, keys(id, userId),
                    id, DeviceFields.USER_ID, userId == null ? "" : userId);
            return result.thenCompose(outcome -> {
                if (outcome >= 0) {
                    return CompletableFuture.completedFuture(outcome == 1L);
                }
                if (attempt >= DELETE_ATTEMPTS) {
                    throw new IllegalStateException("user of device " + id + " keeps changing during delete");
                }
                return deleteAttempt(id, attempt + 1);
            });
        });
    }

    private static String[] keys(String id, String userId) {
        String record = RedisKeys.device(id).record();
        return userId == null ? new String[] {record} : new String[] {record, RedisKeys.userDevices(userId)};
    }

    /** Connection loss and timeouts mean "try again later"; a Redis error reply is a bug and stays as it is. */
    private static <T> CompletionStage<T> translateFailures(CompletionStage<T> stage) {
        return stage.handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof RedisException && !(cause instanceof RedisCommandExecutionException)) {
                throw new StoreUnavailableException(cause);
            }
            throw failure instanceof CompletionException completion ? completion : new CompletionException(cause);
        });
    }
}
