package io.tether.gateway.mqtt;

import io.tether.gateway.delivery.EventPublisher;
import io.tether.gateway.delivery.UpstreamMessage;
import io.tether.gateway.store.GatewayStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Sends a connection's will to Kafka once its delay has passed ({@link WillDelay}). The pending will is a timer on this
 * gateway only, not written anywhere: a gateway that stops (crashes, or is drained) during the delay drops it. MQTT 5
 * counts the will as session state (§4.1) and allows that stored session state is lost (§4.1.1); and sending it early
 * at a drain would tell backends a device is gone that is reconnecting to another gateway, what the delay is for. When the timer fires, Redis says whether a newer
 * connection of the device claimed it meanwhile, on any gateway (the epoch fence of claim.lua): then the will is dropped.
 */
final class DelayedWill {
    private static final Logger LOG = Logger.getLogger(DelayedWill.class);

    private final PendingWills pending;
    private final Context context;
    private final GatewayStore store;
    private final EventPublisher events;

    DelayedWill(PendingWills pending, Context context, GatewayStore store, EventPublisher events) {
        this.pending = pending;
        this.context = context;
        this.store = store;
        this.events = events;
    }

    /** Sends {@code will} of connection {@code epoch} after {@code delay} (at once when zero), unless a newer connection came. */
    void send(UpstreamMessage will, long epoch, Duration delay) {
        if (delay.isZero()) {
            events.upstream(will);
            return;
        }
        pending.hold(will.deviceId(), Math.max(1, delay.toMillis()), due -> Future.fromCompletionStage(store.holderEpoch(will.deviceId()), context)
                .onComplete(holder -> {
                    if (holder.failed()) {
                        // Redis did not answer: a new connection needs it too (connect.lua), so the device is most likely not back.
                        LOG.warnf("will of %s sent without knowing whether the device is back: %s", will.deviceId(),
                                holder.cause().getMessage());
                        events.upstream(will);
                    } else if (WillDelay.stillDue(holder.result(), epoch)) {
                        events.upstream(will);
                    } else {
                        LOG.debugf("will of %s dropped: connection %d is newer than %d", will.deviceId(),
                                holder.result().getAsLong(), epoch);
                    }
                }));
    }
}
