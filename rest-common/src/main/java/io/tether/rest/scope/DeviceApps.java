package io.tether.rest.scope;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeviceFields;
import io.tether.contract.DeviceId;
import io.tether.contract.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The app of registered devices, read from the registry's records in Redis. */
public final class DeviceApps {
    private final RedisAsyncCommands<String, String> redis;

    public DeviceApps(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** The device's app id; empty when there is no such device (or the id cannot be one). */
    public CompletionStage<Optional<String>> appOf(String deviceId) {
        if (!DeviceId.isValid(deviceId)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return redis.hget(RedisKeys.device(deviceId).record(), DeviceFields.APP_ID).thenApply(Optional::ofNullable);
    }

    /** The app of each device, in order; null for a device that does not exist. Pipelined: one round trip. */
    public CompletionStage<List<String>> appsOf(List<String> deviceIds) {
        List<CompletableFuture<Optional<String>>> reads = deviceIds.stream().map(id -> appOf(id).toCompletableFuture()).toList();
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<String> apps = new ArrayList<>(deviceIds.size());
            reads.forEach(read -> apps.add(read.join().orElse(null)));
            return apps;
        });
    }
}
