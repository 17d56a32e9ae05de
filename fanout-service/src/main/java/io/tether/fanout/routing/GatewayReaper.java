package io.tether.fanout.routing;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.Json;
import io.tether.inbox.OrphanedDevices;
import io.tether.contract.RedisKeys;
import io.tether.contract.Topics;
import io.tether.runtime.kafka.KafkaSend;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Handles gateway instances that died without saying so (kill -9, lost node): each device still pointing at a dead
 * instance gets a DISCONNECTED event with its current epoch, so it is routed to push and inbox. One fanout instance
 * does it (a Redis lock).
 * <p>
 * A gateway counts as dead only when this sweep has seen its heartbeat missing for {@code grace}, counting only
 * observations made while Redis answered: after Redis restarted or was away longer than the heartbeat TTL every
 * heartbeat key is gone at once, and the gateways, alive all along, need a moment to beat again. A gateway that was
 * taken for dead anyway (frozen longer than that) reasserts its connections when it beats again.
 */
public final class GatewayReaper {
    private static final Logger LOG = Logger.getLogger(GatewayReaper.class);
    private static final long LOCK_MILLIS = 60_000;

    private final RedisAsyncCommands<String, String> redis;
    private final Producer<String, byte[]> producer;
    private final long graceMillis;
    private final LongSupplier clock;
    private final Map<String, Long> missingSince = new ConcurrentHashMap<>();
    private final OrphanedDevices orphans;

    public GatewayReaper(RedisAsyncCommands<String, String> redis, Producer<String, byte[]> producer, Duration grace,
            LongSupplier clock) {
        this.redis = redis;
        this.producer = producer;
        this.graceMillis = grace.toMillis();
        this.clock = clock;
        this.orphans = new OrphanedDevices(redis);
    }

    public CompletionStage<Void> sweep() {
        return redis.smembers(RedisKeys.gateways()).thenCompose(this::checkAll).whenComplete((v, error) -> {
            if (error != null) {
                // What was seen before Redis failed says nothing about the gateways: start counting again.
                missingSince.clear();
            }
        });
    }

    private CompletionStage<Void> checkAll(Set<String> gatewayIds) {
        missingSince.keySet().retainAll(gatewayIds);
        CompletableFuture<?>[] checks = gatewayIds.stream()
                .map(id -> redis.exists(RedisKeys.gatewayHeartbeat(id)).thenCompose(n -> check(id, n == 1L)).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(checks);
    }

    private CompletionStage<Void> check(String gatewayId, boolean alive) {
        if (alive) {
            missingSince.remove(gatewayId);
            return done();
        }
        long now = clock.getAsLong();
        long since = missingSince.computeIfAbsent(gatewayId, id -> now);
        return now - since >= graceMillis ? reapOnce(gatewayId) : done();
    }

    private CompletionStage<Void> reapOnce(String gatewayId) {
        String lock = reapingLock(gatewayId);
        return redis.set(lock, "1", SetArgs.Builder.nx().px(LOCK_MILLIS))
                .thenCompose(ok -> "OK".equals(ok) ? reap(gatewayId) : done());
    }

    private CompletionStage<Void> reap(String gatewayId) {
        LOG.infof("gateway %s stopped heartbeating; its devices go offline", gatewayId);
        return orphans.of(gatewayId, "gateway-lost", clock.getAsLong())
                // Reading a large device set takes a while: a gateway that beats again meanwhile (it was frozen) keeps
                // its devices and states them again itself. One that comes back after this check keeps its devices'
                // presence (presence.lua ignores a gateway-lost verdict older than the gateway's REASSERTED), but the
                // device set is deleted below even if it announced devices into it again meanwhile.
                .thenCompose(events -> redis.exists(RedisKeys.gatewayHeartbeat(gatewayId)).thenCompose(alive -> alive == 1L
                        ? cameBack(gatewayId)
                        : CompletableFuture.allOf(events.stream()
                                .map(gone -> KafkaSend.send(producer, new ProducerRecord<>(Topics.PRESENCE, gone.deviceId(), Json.toBytes(gone))))
                                .toArray(CompletableFuture[]::new))
                        .thenCompose(v -> orphans.forget(gatewayId))
                        .thenCompose(v -> redis.srem(RedisKeys.gateways(), gatewayId))
                        .thenAccept(n -> missingSince.remove(gatewayId))));
    }

    private CompletionStage<Void> cameBack(String gatewayId) {
        LOG.infof("gateway %s beats again; its devices stay", gatewayId);
        missingSince.remove(gatewayId);
        return redis.del(reapingLock(gatewayId)).thenApply(n -> null);
    }

    /** One fanout instance reaps a gateway at a time. */
    private static String reapingLock(String gatewayId) {
        return "tether:{gw:" + gatewayId + "}:reaping";
    }

    private static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}
