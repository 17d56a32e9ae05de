package io.tether.gateway.mqtt;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.tether.gateway.delivery.Delivery;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The deliveries handed to one connection and not yet acknowledged: packet ids (each delivery's own, the same on every
 * connection it is sent on, with DUP set once it may have been sent before: MQTT's redelivery to a resumed session
 * [MQTT-4.4.0-1]), at most {@code maxInflight} at once (the rest wait in order), the ack deadline that marks the device
 * deaf, and what to do with a delivery the connection has not subscribed to (wait a deadline for the SUBSCRIBE, then
 * refuse it). A delivery already in hand is not taken twice (the inbox hands everything over again after a resync).
 * Event-loop confined; everything it needs from the connection comes through {@link Link}, so it is tested without
 * sockets.
 */
final class DeliveryWindow {

    /** What became of a delivery. */
    enum Outcome { DELIVERED, REFUSED, EXPIRED, NOT_SUBSCRIBED, TOO_LARGE }

    /** The connection as the window sees it. */
    interface Link {
        /**
         * Writes the PUBLISH, QoS 1 with {@code packetId}, or QoS 0 when {@code packetId} is 0; {@code dup} sets its DUP
         * flag. The span is the delivery's, ended by the window. False when it was not written because it exceeds the
         * client's Maximum Packet Size (MQTT 5 says to drop it as if it had been sent).
         */
        boolean publish(Delivery delivery, int packetId, boolean dup, Span span);

        /** The QoS deliveries on {@code topic} get: the highest granted by a matching subscription (0 or 1). */
        default int qos(String topic) {
            return 1;
        }

        Span startSpan(Delivery delivery, int packetId);

        boolean subscribed(String topic);

        long setTimer(long delayMillis, Runnable action);

        void cancelTimer(long id);

        /** The delivery has its outcome; {@code reason} for the ones that are not a success. */
        void settled(Delivery delivery, Outcome outcome, String reason, long ackNanos);

        /** No PUBACK within the deadline: probably suspended, the socket deaf. Reported once until {@link #responsive}. */
        void deaf(long deadlineMillis);

        /** The connection's reading is stopped: a PUBACK may be waiting unread, so no deadline passes meanwhile. */
        default boolean readingHeld() {
            return false;
        }

        /** When reading last resumed after being held (epoch millis, the window's clock), 0 if it never was. */
        default long readingResumedAt() {
            return 0;
        }

        void responsive();
    }

    private record InFlight(Delivery delivery, long sentAtNanos, long timerId, Span span) {
    }

    private static final Map<Integer, InFlight> NO_INFLIGHT = Map.of();
    private static final Set<String> NO_IDS = Set.of();
    private static final Map<Delivery, Long> NONE_AWAITING = Map.of();

    private final Link link;
    private final int maxInflight;
    private final long ackTimeoutMillis;
    private final LongSupplier clock;
    // Created on first use and kept: most connections sit idle, and a gateway holds tens of thousands of them.
    private Map<Integer, InFlight> inflight = NO_INFLIGHT;
    private ArrayDeque<Delivery> pending;
    private Set<String> inHand = NO_IDS;
    /** Each waiting delivery's deadline timer, in the order they came (a Delivery's hash is its byte[]'s identity). */
    private Map<Delivery, Long> awaitingSubscription = NONE_AWAITING;
    private int lastPacketId;
    private boolean deafReported;
    private boolean closed;

    DeliveryWindow(Link link, int maxInflight, long ackTimeoutMillis, LongSupplier clock) {
        this.link = link;
        this.maxInflight = Math.max(1, maxInflight);
        this.ackTimeoutMillis = ackTimeoutMillis;
        this.clock = clock;
    }

    void offer(Delivery delivery) {
        if (closed || inHand.contains(delivery.messageId())) {
            return;
        }
        if (inHand == NO_IDS) {
            inHand = new HashSet<>();
        }
        inHand.add(delivery.messageId());
        if (delivery.isExpired(clock.getAsLong())) {
            finish(delivery, Outcome.EXPIRED, "ttl", 0);
            return;
        }
        if (!link.subscribed(delivery.mqttTopic())) {
            // Often the SUBSCRIBE for this subtopic is on its way; give it the ack deadline to arrive.
            if (awaitingSubscription == NONE_AWAITING) {
                awaitingSubscription = new LinkedHashMap<>();
            }
            awaitingSubscription.put(delivery, link.setTimer(ackTimeoutMillis, () -> notSubscribed(delivery)));
            return;
        }
        if (inflight.size() >= maxInflight) {
            if (pending == null) {
                pending = new ArrayDeque<>();
            }
            pending.add(delivery);
            return;
        }
        send(delivery);
    }

    /** A new subscription: deliveries waiting for one that it covers go out now, in the order they came. */
    void subscriptionsChanged() {
        if (awaitingSubscription.isEmpty()) {
            return;
        }
        for (Iterator<Map.Entry<Delivery, Long>> it = awaitingSubscription.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Delivery, Long> waiting = it.next();
            if (link.subscribed(waiting.getKey().mqttTopic())) {
                it.remove();
                link.cancelTimer(waiting.getValue());
                inHand.remove(waiting.getKey().messageId());
                offer(waiting.getKey());
            }
        }
    }

    private void notSubscribed(Delivery delivery) {
        if (awaitingSubscription != NONE_AWAITING && awaitingSubscription.remove(delivery) != null) {
            finish(delivery, Outcome.NOT_SUBSCRIBED, "no-subscription", 0);
        }
    }

    private void send(Delivery delivery) {
        if (delivery.isExpired(clock.getAsLong())) {
            finish(delivery, Outcome.EXPIRED, "ttl", 0); // expired while it waited for room
            return;
        }
        if (link.qos(delivery.mqttTopic()) == 0) {
            sendAtMostOnce(delivery);
            return;
        }
        // Its own identifier unless another delivery in flight holds it; with another one it is a new PUBLISH (DUP 0).
        boolean own = delivery.packetId() != 0 && !inflight.containsKey(delivery.packetId());
        int packetId = own ? delivery.packetId() : nextPacketId();
        Span span = link.startSpan(delivery, packetId);
        long timer = link.setTimer(ackDelay(delivery, clock.getAsLong()), () -> onAckTimeout(packetId));
        if (inflight == NO_INFLIGHT) {
            inflight = new HashMap<>();
        }
        inflight.put(packetId, new InFlight(delivery, System.nanoTime(), timer, span));
        if (!link.publish(delivery, packetId, own && delivery.sentBefore(), span)) {
            inflight.remove(packetId);
            link.cancelTimer(timer);
            tooLarge(delivery, span);
        }
    }

    /**
     * A QoS 0 subscription: no PUBACK comes, so the delivery counts as delivered once written, and such a device can not
     * be found deaf (the README says to subscribe with QoS 1).
     */
    private void sendAtMostOnce(Delivery delivery) {
        Span span = link.startSpan(delivery, 0);
        if (!link.publish(delivery, 0, false, span)) { // DUP is always 0 at QoS 0 [MQTT-3.3.1-2]
            tooLarge(delivery, span);
            return;
        }
        span.setAttribute(MqttTracing.OUTCOME, "sent-qos0");
        span.end();
        finish(delivery, Outcome.DELIVERED, null, 0);
    }

    private void tooLarge(Delivery delivery, Span span) {
        span.setAttribute(MqttTracing.OUTCOME, "too-large");
        span.setStatus(StatusCode.ERROR, "larger than the client's Maximum Packet Size");
        span.end();
        finish(delivery, Outcome.TOO_LARGE, "packet-too-large", 0);
    }

    /** An identifier for a delivery without one of its own: the next one not in flight. */
    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId % 65_535 + 1;
        } while (inflight.containsKey(lastPacketId));
        return lastPacketId;
    }

    /** @param reasonCode the PUBACK reason code; below 0x80 is a success (MQTT 3.1.1 has none: 0) */
    void onPubAck(int packetId, int reasonCode) {
        InFlight sent = inflight == NO_INFLIGHT ? null : inflight.remove(packetId);
        if (sent == null) {
            return;
        }
        link.cancelTimer(sent.timerId());
        boolean accepted = reasonCode < 0x80;
        sent.span().addEvent("puback");
        sent.span().setAttribute(MqttTracing.OUTCOME, accepted ? "delivered" : "rejected");
        if (reasonCode != 0) {
            sent.span().setAttribute(MqttTracing.PUBACK_REASON, (long) reasonCode);
        }
        if (!accepted) {
            sent.span().setStatus(StatusCode.ERROR, "PUBACK refused");
        }
        sent.span().end();
        finish(sent.delivery(), accepted ? Outcome.DELIVERED : Outcome.REFUSED,
                accepted ? null : String.format("puback-0x%02x", reasonCode), System.nanoTime() - sent.sentAtNanos());
        if (deafReported) {
            // It acknowledged after all: the app reads its socket again.
            deafReported = false;
            link.responsive();
        }
        Delivery next;
        while (pending != null && inflight.size() < maxInflight && (next = pending.poll()) != null) {
            send(next);
        }
    }

    /**
     * How long the device has to acknowledge a delivery written now. The deadline counts from fanout's acceptance, so a
     * deaf device's push fallback starts one ack timeout after the backend's 202 rather than that plus the time the
     * message took to reach the socket. A message accepted long before (an inbox drained on reconnect, a full window)
     * still leaves the device at least three quarters of the timeout, and a fanout clock ahead of ours no more than all of it.
     */
    long ackDelay(Delivery delivery, long nowMillis) {
        if (delivery.acceptedAt() <= 0) {
            return ackTimeoutMillis;
        }
        long left = delivery.acceptedAt() + ackTimeoutMillis - nowMillis;
        return Math.max(ackTimeoutMillis - ackTimeoutMillis / 4, Math.min(ackTimeoutMillis, left));
    }

    /** The delivery stays in flight: a late PUBACK still counts. */
    private void onAckTimeout(int packetId) {
        InFlight sent = inflight.get(packetId);
        if (sent == null) {
            return;
        }
        if (!closed) {
            // Its PUBACK may be in the unread socket: while reading is held, and for a full deadline after it resumes,
            // no deadline passes.
            long sinceResumed = clock.getAsLong() - link.readingResumedAt();
            long wait = link.readingHeld() ? ackTimeoutMillis
                    : link.readingResumedAt() > 0 && sinceResumed < ackTimeoutMillis ? ackTimeoutMillis - sinceResumed : 0;
            if (wait > 0) {
                inflight.put(packetId, new InFlight(sent.delivery(), sent.sentAtNanos(),
                        link.setTimer(wait, () -> onAckTimeout(packetId)), sent.span()));
                return;
            }
        }
        sent.span().addEvent("ack-timeout");
        if (!closed && !deafReported) {
            deafReported = true;
            link.deaf(ackTimeoutMillis);
        }
    }

    private void finish(Delivery delivery, Outcome outcome, String reason, long ackNanos) {
        if (inHand != NO_IDS) {
            inHand.remove(delivery.messageId());
        }
        link.settled(delivery, outcome, reason, ackNanos);
    }

    int inFlight() {
        return inflight.size();
    }

    /** The connection is gone: nothing more goes out; what was not acknowledged stays in the inbox. */
    void close(String why) {
        closed = true;
        inflight.values().forEach(f -> {
            link.cancelTimer(f.timerId());
            f.span().setAttribute(MqttTracing.OUTCOME, "not-acknowledged");
            f.span().setStatus(StatusCode.ERROR, "connection closed before PUBACK (" + why + ")");
            f.span().end();
        });
        awaitingSubscription.values().forEach(link::cancelTimer);
        inflight = NO_INFLIGHT;
        pending = null;
        awaitingSubscription = NONE_AWAITING;
        inHand = NO_IDS;
    }
}
