package io.tether.gateway.delivery;

import io.tether.contract.DeliveryStatus;
import io.tether.contract.TetherEvent;
import io.tether.gateway.metrics.GatewayMetrics;
import io.tether.inbox.Inbox;
import io.tether.runtime.failure.Retry;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Gives deliveries their final status in the device's inbox, which also hands the next entries to the connection:
 * the live path after the first hand-over is this one script per PUBACK. A device's answer is never dropped: while
 * Redis is away the script is retried with backoff (at worst, after a gateway crash, the message is delivered again,
 * with the same message id).
 */
public final class Acknowledgements {
    private static final Logger LOG = Logger.getLogger(Acknowledgements.class);

    private final Inbox inbox;
    private final String gatewayId;
    private final Retry retry;
    private final GatewayMetrics metrics;
    private final Consumer<TetherEvent> events;

    public Acknowledgements(Inbox inbox, String gatewayId, Retry retry, GatewayMetrics metrics) {
        this(inbox, gatewayId, retry, metrics, event -> { });
    }

    /** @param events takes the status changes settled here, for backends (written to Kafka after the Redis write) */
    public Acknowledgements(Inbox inbox, String gatewayId, Retry retry, GatewayMetrics metrics, Consumer<TetherEvent> events) {
        this.events = events;
        this.inbox = inbox;
        this.gatewayId = gatewayId;
        this.retry = retry;
        this.metrics = metrics;
    }

    /** @param status delivered, failed (with {@code reason}) or expired */
    public CompletionStage<Void> settle(Delivery delivery, DeliveryStatus status, String reason) {
        return retry.whileTransient("acknowledging " + delivery.messageId() + " of " + delivery.deviceId(),
                () -> inbox.acknowledge(delivery.deviceId(), delivery.messageId(), status.wire(), reason, delivery.epoch(), gatewayId))
                .thenAccept(acked -> {
                    long now = System.currentTimeMillis();
                    if (acked.changed()) {
                        metrics.status(status.wire(), reason);
                        events.accept(TetherEvent.status(delivery.deviceId(), delivery.messageId(), status.wire(), reason, "live", now));
                    }
                    expired(delivery.deviceId(), acked.expired(), acked.expiredIds(), now);
                })
                .exceptionally(error -> {
                    // Permanent (a script refused it) or the gateway is stopping: the message stays in the inbox and
                    // is delivered again to the device's next connection, with the same message id.
                    LOG.warnf("could not settle %s of %s: %s", delivery.messageId(), delivery.deviceId(), error.toString());
                    return null;
                });
    }

    /**
     * Everything unacknowledged for this connection, handed over again (after the delivery channel was lost); answers
     * how many. What expired on the way is reported as a settle's expiries are.
     */
    public CompletionStage<Integer> resync(String deviceId, long epoch) {
        return inbox.resync(deviceId, epoch, gatewayId).thenApply(live -> {
            expired(deviceId, live.expired(), live.expiredIds(), System.currentTimeMillis());
            return live.handedOver();
        });
    }

    /** Entries the inbox found past their TTL on the way: counted, and each settled one reported. */
    private void expired(String deviceId, int found, java.util.List<String> settledIds, long now) {
        metrics.expired(found);
        settledIds.forEach(id -> events.accept(TetherEvent.status(deviceId, id, DeliveryStatus.EXPIRED.wire(), "ttl", null, now)));
    }
}
