package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.opentelemetry.api.trace.Span;
import io.tether.contract.DeliveryStatus;
import io.tether.contract.PresenceEvent;
import io.tether.gateway.delivery.Acknowledgements;
import io.tether.gateway.delivery.Delivery;
import io.tether.gateway.delivery.EventPublisher;
import io.tether.gateway.metrics.ConnectionMeter;
import io.tether.inbox.HandOver;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the inbox hands to one connection, from hand-over to acknowledgement: it feeds the {@link DeliveryWindow},
 * writes the PUBLISHes, settles each delivery in the inbox (which hands the next ones over) and reports a deaf or
 * responsive device. One per connection, on its event loop.
 */
final class Downstream implements DeliveryWindow.Link {
    private final String deviceId;
    private final Vertx vertx;
    private final ConnectionControl control;
    private final SubscriptionSet subscriptions;
    private final MqttTracing tracing;
    private final Acknowledgements acknowledgements;
    private final EventPublisher events;
    private final BiFunction<PresenceEvent.Kind, String, PresenceEvent> presence;
    private final Supplier<ConnectionMeter> meter;
    private final BooleanSupplier active;
    private final DeliveryWindow window;
    private final long maxPacketSize;

    /**
     * @param presence makes this connection's presence events
     * @param active   false once the connection is closing or draining: no more presence reports from it
     * @param maxPacketSize the client's Maximum Packet Size: larger deliveries are failed, not sent
     */
    Downstream(String deviceId, Vertx vertx, ConnectionControl control, SubscriptionSet subscriptions, MqttTracing tracing,
            Acknowledgements acknowledgements, EventPublisher events, BiFunction<PresenceEvent.Kind, String, PresenceEvent> presence,
            Supplier<ConnectionMeter> meter, BooleanSupplier active, int maxInflight, long ackTimeoutMillis, long maxPacketSize) {
        this.deviceId = deviceId;
        this.vertx = vertx;
        this.control = control;
        this.subscriptions = subscriptions;
        this.tracing = tracing;
        this.acknowledgements = acknowledgements;
        this.events = events;
        this.presence = presence;
        this.meter = meter;
        this.active = active;
        this.maxPacketSize = maxPacketSize;
        this.window = new DeliveryWindow(this, maxInflight, ackTimeoutMillis, System::currentTimeMillis);
    }

    @Override
    public boolean readingHeld() {
        return control.readingHeld();
    }

    @Override
    public long readingResumedAt() {
        return control.readingResumedAt();
    }

    void handOver(HandOver handOver) {
        for (int i = 0; i < handOver.entries().size(); i++) {
            window.offer(Delivery.of(handOver, i));
        }
    }

    void onPubAck(int packetId, int reasonCode) {
        window.onPubAck(packetId, reasonCode);
    }

    void subscriptionsChanged() {
        window.subscriptionsChanged();
    }

    void close(String why) {
        window.close(why);
    }

    @Override
    public Span startSpan(Delivery delivery, int packetId) {
        return tracing.startPublish(deviceId, delivery.mqttTopic(), delivery.messageId(), packetId, delivery.trace());
    }

    /** MQTT 5 gets the message id, trace, the backend's properties and the seconds left before it expires. */
    @Override
    public boolean publish(Delivery delivery, int packetId, boolean dup, Span span) {
        MqttProperties props = control.isMqtt5()
                ? MqttProps.delivery(delivery.messageId(), delivery.contentType(), delivery.trace().with(span), delivery.properties(),
                        delivery.secondsLeft(System.currentTimeMillis()))
                : MqttProperties.NO_PROPERTIES;
        if (PublishSize.of(delivery.mqttTopic(), delivery.payload().length, packetId != 0, props, control.isMqtt5()) > maxPacketSize) {
            return false;
        }
        control.endpoint().publish(delivery.mqttTopic(), Buffer.buffer(delivery.payload()),
                packetId == 0 ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE, dup, false, packetId, props);
        return true;
    }

    @Override
    public boolean subscribed(String topic) {
        return subscriptions.matches(topic);
    }

    @Override
    public int qos(String topic) {
        return subscriptions.qos(topic);
    }

    @Override
    public long setTimer(long delayMillis, Runnable action) {
        return vertx.setTimer(delayMillis, id -> action.run());
    }

    @Override
    public void cancelTimer(long id) {
        vertx.cancelTimer(id);
    }

    @Override
    public void settled(Delivery delivery, DeliveryWindow.Outcome outcome, String reason, long ackNanos) {
        DeliveryStatus status = switch (outcome) {
            case DELIVERED -> DeliveryStatus.DELIVERED;
            case EXPIRED -> DeliveryStatus.EXPIRED;
            case REFUSED, NOT_SUBSCRIBED, TOO_LARGE -> DeliveryStatus.FAILED;
        };
        if (outcome == DeliveryWindow.Outcome.DELIVERED || outcome == DeliveryWindow.Outcome.REFUSED) {
            meter.get().ackLatency(ackNanos, outcome == DeliveryWindow.Outcome.DELIVERED);
        }
        acknowledgements.settle(delivery, status, reason);
    }

    /**
     * No PUBACK within the deadline: the app was probably suspended and its socket went deaf. Report it at once
     * instead of waiting 1.5 × keepalive.
     */
    @Override
    public void deaf(long deadlineMillis) {
        if (active.getAsBoolean()) {
            meter.get().presence(PresenceEvent.Kind.ACK_TIMEOUT);
            events.presenceEventually(presence.apply(PresenceEvent.Kind.ACK_TIMEOUT, "no PUBACK within " + deadlineMillis + " ms"));
        }
    }

    @Override
    public void responsive() {
        meter.get().presence(PresenceEvent.Kind.RESPONSIVE);
        events.presenceEventually(presence.apply(PresenceEvent.Kind.RESPONSIVE, null));
    }
}
