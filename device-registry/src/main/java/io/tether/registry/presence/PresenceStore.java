package io.tether.registry.presence;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeviceFields;
import io.tether.contract.DeviceId;
import io.tether.contract.RedisKeys;
import io.tether.registry.store.StoreFailures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads the presence fanout settled for devices ({@link RedisKeys.Device#presence()}), with each device's app (so a
 * key limited to some apps sees only theirs). Read only: fanout is the one writer.
 */
public class PresenceStore {
    private final RedisAsyncCommands<String, String> redis;

    public PresenceStore(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** A device's app and presence hash (empty for a device that never connected). */
    public record Found(String appId, Map<String, String> presence) {
    }

    /** Empty when there is no such device. */
    public CompletionStage<Optional<Found>> find(String deviceId) {
        if (!DeviceId.isValid(deviceId)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        CompletableFuture<String> app = redis.hget(keys.record(), DeviceFields.APP_ID).toCompletableFuture();
        CompletableFuture<Map<String, String>> presence = redis.hgetall(keys.presence()).toCompletableFuture();
        return StoreFailures.translate(app.thenCombine(presence, (appId, hash) -> appId == null ? Optional.<Found>empty()
                : Optional.of(new Found(appId, hash))));
    }

    /** The devices of {@code ids} that exist, in order (pipelined). */
    public CompletionStage<List<Optional<Found>>> findAll(List<String> ids) {
        List<CompletableFuture<Optional<Found>>> reads = ids.stream().map(id -> find(id).toCompletableFuture()).toList();
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                .thenApply(v -> reads.stream().map(CompletableFuture::join).toList());
    }
}
