package io.tether.registry.device;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeviceFields;
import io.tether.contract.RedisKeys;
import io.tether.registry.store.StoreFailures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * Device records in Redis: the hash {@code RedisKeys.device(id).record()} and its indexes ({@link DeviceIndexes}),
 * changed together by the scripts of {@link DeviceScripts}, so an index never names a device that does not
 * exist or misses one that does. All RedisFuture handling stays here; connection failures and timeouts
 * surface as {@code StoreUnavailableException}.
 */
public class DeviceStore {
    /**
     * How long a deleted device's inbox is kept: longer than any message may live (28 days), so the sweep settled it.
     * A presence tombstone too: its connection was closed long before.
     */
    static final java.time.Duration INBOX_AFTER_DELETE = java.time.Duration.ofDays(29);
    private static final int ATTEMPTS = 3;

    private final RedisAsyncCommands<String, String> redis;

    public DeviceStore(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** Stores a new device and indexes it; false (and nothing written) if the id is taken. */
    public CompletionStage<Boolean> create(Device device) {
        DeviceIndexes indexes = DeviceIndexes.of(device);
        List<String> keys = new ArrayList<>();
        keys.add(RedisKeys.device(device.id()).record());
        keys.add(RedisKeys.device(device.id()).presence());
        keys.addAll(indexes.keys());
        List<String> args = new ArrayList<>(List.of(device.id(), Integer.toString(indexes.sets().size())));
        DeviceHash.toFields(device).forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        CompletionStage<Long> created = DeviceScripts.CREATE.run(redis, ScriptOutputType.INTEGER,
                keys.toArray(String[]::new), args.toArray(String[]::new));
        return StoreFailures.translate(created.thenApply(result -> result == 1L));
    }

    public CompletionStage<Optional<Device>> find(String id) {
        CompletionStage<Map<String, String>> fields = redis.hgetall(RedisKeys.device(id).record());
        return StoreFailures.translate(fields.thenApply(hash -> hash == null || hash.isEmpty()
                ? Optional.empty()
                : Optional.of(DeviceHash.fromFields(id, hash))));
    }

    /** The devices of these ids that exist, by id, in the order given. */
    public CompletionStage<Map<String, Device>> findAll(List<String> ids) {
        List<CompletableFuture<Optional<Device>>> reads = ids.stream()
                .map(id -> find(id).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, Device> found = new LinkedHashMap<>();
            reads.forEach(read -> read.join().ifPresent(device -> found.put(device.id(), device)));
            return found;
        });
    }

    /**
     * Changes the indexed fields (user, app, platform) with {@code change} and moves the device between
     * indexes, atomically. Empty if there is no such device.
     */
    public CompletionStage<Optional<Device>> update(String id, UnaryOperator<Device> change) {
        return StoreFailures.translate(updateAttempt(id, change, 1));
    }

    /** Deletes the record, its grants and its index entries together, and drops its connections; false if unknown. */
    public CompletionStage<Boolean> delete(String id) {
        return StoreFailures.translate(deleteAttempt(id, 1));
    }

    /** The stored SHA-256 of the device's password; empty for unknown devices and revoked credentials. */
    public CompletionStage<Optional<String>> secretHash(String id) {
        return StoreFailures.translate(redis.hget(RedisKeys.device(id).record(), DeviceFields.SECRET_HASH)
                .thenApply(Optional::ofNullable));
    }

    /**
     * Sets a new secret hash and ends a revocation; the credential version goes up and gateways are told, so connections
     * authenticated before (password or certificate) are closed.
     */
    public CompletionStage<Boolean> replaceSecret(String id, String secretHash, Instant now) {
        return changeFields(id, true, List.of(DeviceFields.CREDENTIALS_REVOKED),
                Map.of(DeviceFields.SECRET_HASH, secretHash, DeviceFields.UPDATED_AT, millis(now)));
    }

    /**
     * Removes the secret hash and marks the credentials revoked, so neither a password nor a client certificate
     * authenticates the device until the next rotation; the credential version goes up and gateways are told.
     */
    public CompletionStage<Boolean> revokeSecret(String id, Instant now) {
        return changeFields(id, true, List.of(DeviceFields.SECRET_HASH),
                Map.of(DeviceFields.CREDENTIALS_REVOKED, "1", DeviceFields.UPDATED_AT, millis(now)));
    }

    public CompletionStage<Boolean> setPushToken(String id, String token, PushEnvironment environment, Instant now) {
        return changeFields(id, false, List.of(), Map.of(DeviceFields.PUSH_TOKEN, token,
                DeviceFields.PUSH_ENVIRONMENT, environment.wire(),
                DeviceFields.PUSH_TOKEN_UPDATED_AT, millis(now),
                DeviceFields.UPDATED_AT, millis(now)));
    }

    public CompletionStage<Boolean> clearPushToken(String id, Instant now) {
        return changeFields(id, false,
                List.of(DeviceFields.PUSH_TOKEN, DeviceFields.PUSH_ENVIRONMENT, DeviceFields.PUSH_TOKEN_UPDATED_AT),
                Map.of(DeviceFields.UPDATED_AT, millis(now)));
    }

    /** Up to {@code count} ids of a sorted-set index after {@code afterId} (from the start when null), in id order. */
    public CompletionStage<List<String>> indexRange(String sortedSetKey, String afterId, int count) {
        Range<String> range = Range.from(afterId == null ? Range.Boundary.unbounded() : Range.Boundary.excluding(afterId),
                Range.Boundary.unbounded());
        return StoreFailures.translate(redis.zrangebylex(sortedSetKey, range, Limit.create(0, count)));
    }

    /** Every member of a set index. */
    public CompletionStage<Set<String>> indexMembers(String setKey) {
        return StoreFailures.translate(redis.smembers(setKey));
    }

    /** Completes when Redis answers a PING. */
    public CompletionStage<Void> ping() {
        return StoreFailures.translate(redis.ping().thenAccept(pong -> {
        }));
    }

    private CompletionStage<Boolean> changeFields(String id, boolean announce, List<String> deletes, Map<String, String> sets) {
        List<String> args = new ArrayList<>(List.of(id, announce ? RedisKeys.credentialChanges() : "",
                Integer.toString(deletes.size())));
        args.addAll(deletes);
        sets.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        CompletionStage<Long> result = DeviceScripts.CHANGE_FIELDS.run(redis, ScriptOutputType.INTEGER,
                new String[] {RedisKeys.device(id).record()}, args.toArray(String[]::new));
        return StoreFailures.translate(result.thenApply(n -> n == 1L));
    }

    private CompletionStage<Optional<Device>> updateAttempt(String id, UnaryOperator<Device> change, int attempt) {
        return find(id).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<Device>empty());
            }
            Device before = found.get();
            Device after = change.apply(before);
            DeviceIndexes was = DeviceIndexes.of(before);
            DeviceIndexes is = DeviceIndexes.of(after);
            DeviceIndexes leave = was.minus(is);
            DeviceIndexes join = is.minus(was);
            List<String> keys = new ArrayList<>();
            keys.add(RedisKeys.device(id).record());
            keys.addAll(leave.keys());
            keys.addAll(join.keys());
            String[] expected = DeviceIndexes.fingerprint(before);
            String[] wanted = DeviceIndexes.fingerprint(after);
            String[] args = {id, expected[0], expected[1], expected[2], wanted[0], wanted[1], wanted[2],
                    millis(after.updatedAt()),
                    Integer.toString(leave.sets().size()), Integer.toString(leave.sortedSets().size()),
                    Integer.toString(join.sets().size()), Integer.toString(join.sortedSets().size())};
            CompletionStage<Long> result = DeviceScripts.UPDATE.run(redis, ScriptOutputType.INTEGER, keys.toArray(String[]::new), args);
            return result.thenCompose(outcome -> retryOnChange(outcome, attempt, "update",
                    () -> updateAttempt(id, change, attempt + 1), Optional.of(after), Optional.empty()));
        });
    }

    private CompletionStage<Boolean> deleteAttempt(String id, int attempt) {
        return find(id).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            Device device = found.get();
            DeviceIndexes indexes = DeviceIndexes.of(device);
            RedisKeys.Device keys = RedisKeys.device(id);
            // Its presence and epoch go too: nothing else would ever remove them (but the presence of a connected device
            // stays as its tombstone, until fanout gave backends its last OFFLINE: see DeviceScripts.DELETE). Its inbox
            // stays for the expiry sweep, which gives each waiting message its final status at its TTL, and expires
            // once every message's TTL has passed (the gateway's session keys are the gateway's, dropped when it
            // learns of the deletion).
            List<String> allKeys = new ArrayList<>(List.of(keys.record(), keys.presence(), keys.grants(), keys.pushTokens(),
                    keys.epoch()));
            int own = allKeys.size();
            List<String> inbox = List.of(keys.inbox(), keys.inboxData(), keys.inboxMeta());
            allKeys.addAll(inbox);
            allKeys.addAll(indexes.keys());
            String[] expected = DeviceIndexes.fingerprint(device);
            CompletionStage<Long> result = DeviceScripts.DELETE.run(redis, ScriptOutputType.INTEGER, allKeys.toArray(String[]::new),
                    id, expected[0], expected[1], expected[2], Integer.toString(indexes.sets().size()),
                    RedisKeys.credentialChanges(), Integer.toString(own), Integer.toString(inbox.size()),
                    Long.toString(INBOX_AFTER_DELETE.toMillis()));
            return result.thenCompose(outcome -> retryOnChange(outcome, attempt, "delete",
                    () -> deleteAttempt(id, attempt + 1), true, false));
        });
    }

    /** 1: done; 0: the device is gone; -1: its indexed fields changed under us, so read again (a few times). */
    private static <T> CompletionStage<T> retryOnChange(long outcome, int attempt, String what,
                                                        java.util.function.Supplier<CompletionStage<T>> again,
                                                        T done, T gone) {
        if (outcome == 1L) {
            return CompletableFuture.completedFuture(done);
        }
        if (outcome == 0L) {
            return CompletableFuture.completedFuture(gone);
        }
        if (attempt >= ATTEMPTS) {
            return CompletableFuture.failedFuture(new ConcurrentChangeException(what));
        }
        return again.get();
    }

    private static String millis(Instant instant) {
        return Long.toString(Objects.requireNonNull(instant).toEpochMilli());
    }
}
