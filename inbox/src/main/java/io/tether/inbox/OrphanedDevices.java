package io.tether.inbox;

import io.lettuce.core.KeyValue;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.PresenceEvent;
import io.tether.contract.PresenceFields;
import io.tether.contract.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The devices whose presence still points at a gateway instance that no longer holds them (it died, or it was
 * restarted under the same id): a DISCONNECTED event with each one's current epoch, so routing falls back to push and
 * inbox. A device that connected elsewhere meanwhile has a newer epoch and is left alone.
 */
public final class OrphanedDevices {
    private final RedisAsyncCommands<String, String> redis;

    public OrphanedDevices(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** The events to publish for the devices in the instance's device set that still point at it. */
    public CompletionStage<List<PresenceEvent>> of(String gatewayId, String reason, long at) {
        return redis.smembers(RedisKeys.gatewayDevices(gatewayId)).thenCompose(devices -> disconnections(gatewayId, devices, reason, at));
    }

    private CompletionStage<List<PresenceEvent>> disconnections(String gatewayId, Set<String> devices, String reason, long at) {
        List<String> ids = List.copyOf(devices);
        List<CompletableFuture<List<KeyValue<String, String>>>> reads = ids.stream()
                .map(id -> redis.hmget(RedisKeys.device(id).presence(), PresenceFields.GATEWAY_ID, PresenceFields.EPOCH).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<PresenceEvent> events = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                List<KeyValue<String, String>> fields = reads.get(i).join();
                String pointsAt = fields.get(0).getValueOrElse(null);
                String epoch = fields.get(1).getValueOrElse(null);
                if (gatewayId.equals(pointsAt) && epoch != null) {
                    events.add(new PresenceEvent(ids.get(i), gatewayId, Long.parseLong(epoch), PresenceEvent.Kind.DISCONNECTED, reason, at));
                }
            }
            return events;
        });
    }

    /** Forgets the instance's device set once its orphans are handled. */
    public CompletionStage<Void> forget(String gatewayId) {
        return redis.del(RedisKeys.gatewayDevices(gatewayId)).thenApply(n -> null);
    }
}
