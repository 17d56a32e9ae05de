package io.tether.gateway.mqtt;

import io.tether.gateway.delivery.EventPublisher;
import io.tether.gateway.delivery.UpstreamMessage;
import io.tether.gateway.store.GatewayStore;
import io.tether.runtime.failure.ThrottledLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Sends a connection's will to Kafka once its delay has passed, unless the first connection of the device after it
 * resumed the session; at once when that connection began a new session ({@link WillDelay#sent}). The pending will is
 * held on this gateway only ({@link PendingWills}), not written anywhere: a gateway that stops (crashes, or is drained)
 * during the delay drops it. MQTT 5 counts the will as session state (§4.1) and allows that stored session state is
 * lost (§4.1.1); and sending it early at a drain would tell backends a device is gone that is reconnecting to another
 * gateway, what the delay is for. The first connection's claim decides it in Redis (claim.lua) and tells it here at
 * once (this gateway's claim, or a will notice from another); a will that missed it asks Redis when the control channel
 * comes back after a loss ({@link PendingWills#recheckAll}) and when its delay is up.
 */
final class DelayedWill {
    private static final Logger LOG = Logger.getLogger(DelayedWill.class);
    /** Redis failing fast (a dropped connection, LOADING, READONLY) fails again at once: a replaced will asks again after this. */
    static final long RETRY_MILLIS = 1_000;
    /** Wills sent, and wills dropped, without Redis answering: one line of each per interval, however many (an outage). */
    private static final ThrottledLog SENT_UNCHECKED = ThrottledLog.warnings(LOG, Duration.ofSeconds(10));
    private static final ThrottledLog DROPPED_UNCHECKED = ThrottledLog.warnings(LOG, Duration.ofSeconds(10));

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

    /** Sends {@code will} of connection {@code epoch} after {@code delay} (at once when zero), or as decided sooner. */
    void send(UpstreamMessage will, long epoch, Duration delay) {
        if (delay.isZero()) {
            pending.counted("sent");
            events.upstream(will);
            return;
        }
        String deviceId = will.deviceId();
        long deadline = System.nanoTime() + delay.toNanos();
        pending.hold(deviceId, epoch, Math.max(1, delay.toMillis()), new PendingWills.Will() {
            @Override
            public void check() {
                Future.fromCompletionStage(store.willCheck(deviceId, epoch), context).onComplete(checked -> {
                    if (checked.failed()) {
                        // Redis did not answer: a new connection needs it too (connect.lua), so the device is most likely not back.
                        SENT_UNCHECKED.warnf("will of %s sent without knowing whether the device is back: %s", deviceId,
                                checked.cause().getMessage());
                        pending.counted("sent-unchecked");
                        events.upstream(will);
                    } else {
                        decide(will, epoch, checked.result());
                    }
                });
            }

            @Override
            public void replaced(long newer) {
                replacedBy(will, epoch, newer, deadline, true);
            }

            @Override
            public CompletionStage<Void> recheck() {
                return settleIfDecided(deviceId, epoch);
            }

            @Override
            public void decided(boolean resumed) {
                context.runOnContext(v -> decide(will, epoch, GatewayStore.WillCheck.decided(resumed)));
            }
        });
        // Decided already when a takeover ended this connection: the claim that took it over recorded it, and its notice
        // may have come before the will was held. Anything else waits for the notice, or for the delay.
        settleIfDecided(deviceId, epoch);
    }

    /**
     * Settles the held will of connection {@code epoch} when Redis has its decision; else (or unanswered) it waits on.
     * Reads the decision only: whoever holds the device matters when the delay is up, not here. Completes once done,
     * never exceptionally.
     */
    private CompletionStage<Void> settleIfDecided(String deviceId, long epoch) {
        return store.willDecision(deviceId, epoch).handle((decision, error) -> {
            if (error == null && decision != GatewayStore.Decision.NONE) {
                pending.settle(deviceId, epoch, decision == GatewayStore.Decision.RESUMED); // any thread
            }
            return null;
        });
    }

    /**
     * The will of connection {@code epoch}, replaced here by the will of the newer connection {@code newer}: what Redis
     * recorded decides it, and the newer connection counts as the device's holder. Unlike at the end of its delay, a
     * Redis that does not answer (twice: again after {@link #RETRY_MILLIS}, or what is left of its delay if less) does
     * not send it: it may have been resumed, and its delay is not up; the holder rule with the newer connection known
     * says not sent. Counted as {@code dropped-unchecked}.
     *
     * @param deadline when its delay is up ({@link System#nanoTime})
     */
    private void replacedBy(UpstreamMessage will, long epoch, long newer, long deadline, boolean retry) {
        Future.fromCompletionStage(store.willCheck(will.deviceId(), epoch), context).onComplete(checked -> {
            if (checked.succeeded()) {
                decide(will, epoch, newerKnown(checked.result(), newer));
            } else if (retry) {
                long left = Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis());
                pending.vertx().setTimer(Math.min(RETRY_MILLIS, left), id -> context.runOnContext(
                        v -> replacedBy(will, epoch, newer, deadline, false)));
            } else {
                GatewayStore.WillCheck known = newerKnown(new GatewayStore.WillCheck(GatewayStore.Decision.NONE, OptionalLong.empty()), newer);
                if (WillDelay.sent(known, epoch)) { // only if "newer" is not newer (never so far): the holder rule sends it
                    pending.counted("sent-unchecked");
                    events.upstream(will);
                    return;
                }
                DROPPED_UNCHECKED.warnf("will of %s (connection %d), replaced by connection %d's, dropped without knowing how the first"
                        + " connection after it took the session: %s", will.deviceId(), epoch, newer, checked.cause().getMessage());
                pending.counted("dropped-unchecked");
            }
        });
    }

    /** {@code check} with connection {@code newer} of the device known to exist (it ended here). */
    private static GatewayStore.WillCheck newerKnown(GatewayStore.WillCheck check, long newer) {
        long holder = Math.max(newer, check.holderEpoch().orElse(0));
        return new GatewayStore.WillCheck(check.decision(), OptionalLong.of(holder));
    }

    private void decide(UpstreamMessage will, long epoch, GatewayStore.WillCheck check) {
        if (WillDelay.sent(check, epoch)) {
            pending.counted("sent");
            events.upstream(will);
        } else {
            pending.counted("not-sent");
            LOG.debugf("will of %s (connection %d) dropped: %s", will.deviceId(), epoch, check);
        }
    }
}
