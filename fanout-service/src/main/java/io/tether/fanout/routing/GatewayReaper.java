package io.tether.fanout.routing;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeliverTopic;
import io.tether.contract.Json;
import io.tether.contract.KafkaSend;
import io.tether.contract.PresenceEvent;
import io.tether.contract.RedisKeys;
import io.tether.contract.Topics;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Handles gateway instances that died without saying so (kill -9, lost node): once a heartbeat lapses, each
 * device still pointing at that instance gets a DISCONNECTED event with its current epoch, so it is routed to
 * push and inbox; then the instance's delivery topic is deleted. One fanout instance does it (a Redis lock).
 */
public final class GatewayReaper {
    private static final Logger LOG = Logger.getLogger(GatewayReaper.class);
    private static final long LOCK_MILLIS = 60_000;

    private final RedisAsyncCommands<String, String> redis;
    private final Producer<String, byte[]> producer;
    private final Admin admin;

    public GatewayReaper(RedisAsyncCommands<String, String> redis, Producer<String, byte[]> producer, Admin admin) {
        this.redis = redis;
        this.producer = producer;
        this.admin = admin;
    }

    public CompletionStage<Void> sweep() {
        return redis.smembers(RedisKeys.gateways()).thenCompose(this::checkAll);
    }

    private CompletionStage<Void> checkAll(Set<String> gatewayIds) {
        List<CompletableFuture<Void>> checks = gatewayIds.stream()
                .map(id -> redis.exists(RedisKeys.gatewayHeartbeat(id))
                        .thenCompose(alive -> alive == 1L ? done() : reapOnce(id))
                        .toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new));
    }

    private CompletionStage<Void> reapOnce(String gatewayId) {
        String lock = "tether:{gw:" + gatewayId + "}:reaping";
        return redis.set(lock, "1", SetArgs.Builder.nx().px(LOCK_MILLIS))
                .thenCompose(ok -> "OK".equals(ok) ? reap(gatewayId) : done());
    }

    private CompletionStage<Void> reap(String gatewayId) {
        LOG.infof("gateway %s stopped heartbeating; its devices go offline", gatewayId);
        return redis.smembers(RedisKeys.gatewayDevices(gatewayId))
                .thenCompose(devices -> CompletableFuture.allOf(devices.stream()
                        .map(device -> disconnect(gatewayId, device).toCompletableFuture())
                        .toArray(CompletableFuture[]::new)))
                .thenCompose(v -> admin.deleteTopics(List.of(new DeliverTopic(gatewayId).name())).all().toCompletionStage()
                        .exceptionally(error -> null))
                .thenCompose(v -> redis.del(RedisKeys.gatewayDevices(gatewayId)))
                .thenCompose(n -> redis.srem(RedisKeys.gateways(), gatewayId))
                .thenApply(n -> null);
    }

    /** Ends the device's presence only if it still points at the dead instance (the epoch fences the rest). */
    private CompletionStage<Void> disconnect(String gatewayId, String deviceId) {
        return redis.hmget(RedisKeys.device(deviceId).presence(), "gatewayId", "epoch").thenCompose(fields -> {
            String pointsAt = fields.get(0).getValueOrElse(null);
            String epoch = fields.get(1).getValueOrElse(null);
            if (!gatewayId.equals(pointsAt) || epoch == null) {
                return done();
            }
            PresenceEvent gone = new PresenceEvent(deviceId, gatewayId, Long.parseLong(epoch), PresenceEvent.Kind.DISCONNECTED,
                    "gateway-lost", System.currentTimeMillis());
            return KafkaSend.send(producer, new ProducerRecord<>(Topics.PRESENCE, deviceId, Json.toBytes(gone)));
        });
    }

    private static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}
