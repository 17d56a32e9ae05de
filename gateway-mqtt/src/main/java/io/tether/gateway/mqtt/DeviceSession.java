package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.tether.contract.MessageId;
import io.tether.contract.tracing.MessagingSpans;
import io.tether.contract.PresenceEvent;
import io.tether.contract.Receipt;
import io.tether.gateway.kafka.Delivery;
import io.tether.gateway.kafka.EventPublisher;
import io.tether.gateway.kafka.UpstreamMessage;
import io.tether.gateway.metrics.GatewayMetrics;
import io.tether.gateway.store.GatewayStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttPubAckMessage;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One accepted device connection. Every method runs on the connection's Vert.x context (event loop), so the
 * state below needs no locks; deliveries arriving from the Kafka thread hop onto it first.
 */
public final class DeviceSession {
    private static final Logger LOG = Logger.getLogger(DeviceSession.class);
    /** How long a draining connection waits for Kafka to confirm its DISCONNECTED before closing anyway. */
    private static final long LEAVE_PRESENCE_TIMEOUT_SECONDS = 5;

    private final MqttEndpoint endpoint;
    private final String deviceId;
    private final long epoch;
    private final Vertx vertx;
    private final Context context;
    private final EventPublisher events;
    private final Connections connections;
    private final long ackTimeoutMillis;
    private final int maxInflight;
    private final Grants grants;
    private final GatewayStore store;
    private final SessionSettings settings;
    private final PublishLimiter limiter;
    private final MqttTracing tracing;

    private final Set<String> subscriptions = new LinkedHashSet<>();
    private final Map<Integer, InFlight> inflight = new HashMap<>();
    private final ArrayDeque<Delivery> pending = new ArrayDeque<>();
    private int lastPacketId;
    private boolean receivingReported;
    private boolean deafReported;
    private String closeReason = "closed";
    private boolean closed;
    /** The gateway is draining this connection: DISCONNECTED is reported (or being reported), nothing more is sent. */
    private boolean leaving;
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    /** This connection in the gateway's metrics; set once the CONNECT is accepted. */
    private GatewayMetrics.Connection metered;

    public DeviceSession(MqttEndpoint endpoint, long epoch, Vertx vertx, Context context, EventPublisher events,
            Connections connections, GatewayStore store, Grants grants, SessionSettings settings, MqttTracing tracing) {
        this.tracing = tracing;
        this.endpoint = endpoint;
        this.deviceId = endpoint.clientIdentifier();
        this.epoch = epoch;
        this.vertx = vertx;
        this.context = context;
        this.events = events;
        this.connections = connections;
        this.store = store;
        this.grants = grants;
        this.settings = settings;
        this.limiter = new PublishLimiter(settings.publishPerSecond(), settings.publishBurst());
        this.ackTimeoutMillis = settings.ackTimeout().toMillis();
        this.maxInflight = Math.max(1, Math.min(settings.maxInflight(), MqttProps.receiveMaximum(endpoint.connectProperties())));
    }

    public String deviceId() {
        return deviceId;
    }

    public long epoch() {
        return epoch;
    }

    private boolean isMqtt5() {
        return endpoint.protocolVersion() == MqttVersion.MQTT_5.protocolLevel();
    }

    /** The CONNECT was accepted: from now on the connection counts in the metrics (until it closes, if it has not already). */
    void metered(GatewayMetrics.Connection connection) {
        if (closed) {
            connection.closed();
            return;
        }
        metered = connection;
    }

    /** Installs the packet handlers; called before CONNACK so that nothing the client sends is missed. */
    void bind() {
        endpoint.publishAutoAck(false);
        endpoint.subscriptionAutoAck(false);
        endpoint.publishHandler(this::onPublish);
        endpoint.publishReleaseHandler(endpoint::publishComplete);
        endpoint.subscribeHandler(this::onSubscribe);
        endpoint.unsubscribeHandler(this::onUnsubscribe);
        endpoint.publishAcknowledgeMessageHandler(this::onPubAck);
        endpoint.disconnectMessageHandler(message -> closeReason = "clean");
        endpoint.exceptionHandler(error -> LOG.debugf("connection of %s: %s", deviceId, error.getMessage()));
        endpoint.closeHandler(v -> onClose());
    }

    // ---- upstream -------------------------------------------------------------------------------------------

    private void onPublish(MqttPublishMessage message) {
        if (message.qosLevel() == MqttQoS.EXACTLY_ONCE && isMqtt5()) {
            // CONNACK announced Maximum QoS 1.
            disconnect(MqttDisconnectReasonCode.QOS_NOT_SUPPORTED, "qos2");
            return;
        }
        if (message.payload().length() > settings.maxPayloadBytes()) {
            // MQTT 5 has no PUBACK code for it: Packet Too Large is a DISCONNECT reason.
            if (isMqtt5()) {
                disconnect(MqttDisconnectReasonCode.PACKET_TOO_LARGE, "packet-too-large");
            } else {
                closeReason = "packet-too-large";
                endpoint.close();
            }
            return;
        }
        if (!limiter.tryAcquire()) {
            refuse(message, MqttPubAckReasonCode.QUOTA_EXCEEDED, "publish rate exceeded");
            return;
        }
        switch (TopicPolicy.classifyPublish(deviceId, message.topicName(), grants)) {
            case OWN, GRANTED -> forwardUpstream(message);
            case LIFECYCLE -> onLifecycle(message);
            case PUSH_TOKEN -> onPushToken(message);
            case DENIED -> refuse(message, MqttPubAckReasonCode.NOT_AUTHORIZED, "topic not allowed");
        }
    }

    /** The app reports its APNs token: {@code {"token":"<hex>","environment":"sandbox|production"}}. */
    private void onPushToken(MqttPublishMessage message) {
        PushTokenReport report;
        try {
            report = PushTokenReport.parse(message.payload().getBytes());
        } catch (IllegalArgumentException e) {
            refuse(message, MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID, e.getMessage());
            return;
        }
        CompletionStage<Void> stored = store.updatePushToken(deviceId, report.slot(), report.token(), report.environment(),
                        report.activityType())
                .thenApply(found -> {
                    if (!found) {
                        throw new IllegalStateException("device record gone");
                    }
                    return null;
                });
        acknowledgeWhenDurable(message, stored);
    }

    /** Continues the device's MQTT 5 {@code traceparent}, if it sent one, into the Kafka record of tether.upstream. */
    private void forwardUpstream(MqttPublishMessage message) {
        MqttProperties props = message.properties();
        int qos = Math.min(message.qosLevel().value(), 1);
        if (metered != null) {
            metered.upstream();
        }
        UpstreamMessage upstream = new UpstreamMessage(deviceId, MessageId.random(), message.topicName(),
                qos, message.payload().getBytes(),
                MqttProps.contentType(props).orElse(null), MqttProps.userProperty(props, "traceparent").orElse(null));
        Span span = tracing.startReceive(deviceId, message.topicName(), qos, props);
        span.setAttribute(MessagingSpans.MESSAGE_ID, upstream.messageId());
        acknowledgeWhenDurable(message, MessagingSpans.endWhenDone(span, events.upstream(upstream, io.opentelemetry.context.Context.root().with(span))));
    }

    private void onLifecycle(MqttPublishMessage message) {
        String signal = message.payload().toString(StandardCharsets.UTF_8).trim().toLowerCase(Locale.ROOT);
        PresenceEvent.Kind kind = switch (signal) {
            case "background" -> PresenceEvent.Kind.BACKGROUND;
            case "foreground" -> PresenceEvent.Kind.FOREGROUND;
            default -> null;
        };
        if (kind == null) {
            refuse(message, MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID, "lifecycle payload must be background or foreground");
            return;
        }
        meterPresence(kind);
        acknowledgeWhenDurable(message, events.presence(presence(kind, null)));
    }

    /** QoS 1/2: acknowledge only once Kafka has the record; on failure the client must send it again. */
    private void acknowledgeWhenDurable(MqttPublishMessage message, CompletionStage<Void> durable) {
        if (message.qosLevel() == MqttQoS.AT_MOST_ONCE) {
            return;
        }
        Future.fromCompletionStage(durable, context).onComplete(result -> {
            if (closed) {
                return;
            }
            if (result.succeeded()) {
                if (message.qosLevel() == MqttQoS.EXACTLY_ONCE) {
                    endpoint.publishReceived(message.messageId());
                } else {
                    endpoint.publishAcknowledge(message.messageId());
                }
            } else {
                LOG.warnf("upstream write for %s failed: %s", deviceId, result.cause().getMessage());
                refuse(message, MqttPubAckReasonCode.UNSPECIFIED_ERROR, "not stored");
            }
        });
    }

    /** MQTT 5 answers a refused QoS 1 PUBLISH with a reason code; MQTT 3.1.1 has none, so the connection closes. */
    private void refuse(MqttPublishMessage message, MqttPubAckReasonCode code, String why) {
        LOG.debugf("refusing publish of %s on %s: %s", deviceId, message.topicName(), why);
        if (isMqtt5() && message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            endpoint.publishAcknowledge(message.messageId(), code, MqttProperties.NO_PROPERTIES);
        } else if (isMqtt5()) {
            disconnect(code == MqttPubAckReasonCode.NOT_AUTHORIZED ? MqttDisconnectReasonCode.NOT_AUTHORIZED
                    : code == MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID ? MqttDisconnectReasonCode.PAYLOAD_FORMAT_INVALID
                    : MqttDisconnectReasonCode.UNSPECIFIED_ERROR, why);
        } else {
            closeReason = "refused";
            endpoint.close();
        }
    }

    // ---- subscriptions --------------------------------------------------------------------------------------

    private void onSubscribe(MqttSubscribeMessage message) {
        List<MqttSubAckReasonCode> codes = new ArrayList<>();
        for (var subscription : message.topicSubscriptions()) {
            String filter = subscription.topicName();
            if (TopicPolicy.maySubscribe(deviceId, filter, grants)) {
                subscriptions.add(filter);
                MqttQoS granted = subscription.qualityOfService() == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
                codes.add(MqttSubAckReasonCode.qosGranted(granted));
            } else {
                codes.add(TopicFilter.isValid(filter) ? MqttSubAckReasonCode.NOT_AUTHORIZED : MqttSubAckReasonCode.TOPIC_FILTER_INVALID);
            }
        }
        if (!isMqtt5()) {
            // MQTT 3.1.1 knows one failure code, 0x80, which MQTT 5 calls Unspecified error.
            codes.replaceAll(code -> (code.value() & 0xff) >= 0x80 ? MqttSubAckReasonCode.UNSPECIFIED_ERROR : code);
        }
        endpoint.subscribeAcknowledge(message.messageId(), codes, MqttProperties.NO_PROPERTIES);
        reportReceivingOnce();
    }

    /** Once the device subscribed to where its messages arrive, fanout may start handing them over. */
    private void reportReceivingOnce() {
        if (!receivingReported && subscriptions.stream().anyMatch(f -> TopicFilter.matches(f, TopicPolicy.messagesTopic(deviceId)))) {
            receivingReported = true;
            events.presence(presence(PresenceEvent.Kind.RECEIVING, null));
        }
    }

    private void onUnsubscribe(MqttUnsubscribeMessage message) {
        message.topics().forEach(subscriptions::remove);
        endpoint.unsubscribeAcknowledge(message.messageId());
    }

    // ---- downstream -----------------------------------------------------------------------------------------

    /** Called from any thread. */
    public void deliver(Delivery delivery) {
        context.runOnContext(v -> deliverOnContext(delivery));
    }

    private void deliverOnContext(Delivery delivery) {
        if (closed || leaving || delivery.epoch() != epoch) {
            // Meant for another connection of this device; fanout re-routes on the presence events.
            return;
        }
        if (subscriptions.stream().noneMatch(f -> TopicFilter.matches(f, delivery.mqttTopic()))) {
            events.receipt(receipt(delivery.messageId(), Receipt.Outcome.REJECTED, "no-subscription"));
            return;
        }
        if (inflight.size() >= maxInflight) {
            pending.add(delivery);
            return;
        }
        send(delivery);
    }

    private void send(Delivery delivery) {
        int packetId = nextPacketId();
        Span span = tracing.startPublish(deviceId, delivery.mqttTopic(), delivery.messageId(), packetId, delivery.trace());
        io.opentelemetry.context.Context trace = (delivery.trace() == null ? io.opentelemetry.context.Context.root() : delivery.trace()).with(span);
        MqttProperties props = isMqtt5() ? MqttProps.delivery(delivery.messageId(), delivery.contentType(), trace) : MqttProperties.NO_PROPERTIES;
        long timer = vertx.setTimer(ackTimeoutMillis, t -> onAckTimeout(packetId));
        inflight.put(packetId, new InFlight(packetId, delivery.messageId(), System.nanoTime(), timer, span));
        endpoint.publish(delivery.mqttTopic(), Buffer.buffer(delivery.payload()), MqttQoS.AT_LEAST_ONCE, false, false, packetId, props);
    }

    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId % 65_535 + 1;
        } while (inflight.containsKey(lastPacketId));
        return lastPacketId;
    }

    private void onPubAck(MqttPubAckMessage ack) {
        InFlight sent = inflight.remove(ack.messageId());
        if (sent == null) {
            return;
        }
        vertx.cancelTimer(sent.timerId());
        boolean accepted = ack.code() == null || (ack.code().value() & 0xff) < 0x80;
        sent.span().addEvent("puback");
        sent.span().setAttribute(MqttTracing.OUTCOME, accepted ? "delivered" : "rejected");
        if (ack.code() != null) {
            sent.span().setAttribute(MqttTracing.PUBACK_REASON, (long) (ack.code().value() & 0xff));
        }
        if (!accepted) {
            sent.span().setStatus(StatusCode.ERROR, "PUBACK refused");
        }
        sent.span().end();
        if (metered != null) {
            metered.ackLatency(System.nanoTime() - sent.sentAtNanos(), accepted);
        }
        events.receipt(accepted
                ? receipt(sent.messageId(), Receipt.Outcome.DELIVERED, null)
                : receipt(sent.messageId(), Receipt.Outcome.REJECTED, String.format("puback-0x%02x", ack.code().value() & 0xff)),
                io.opentelemetry.context.Context.root().with(sent.span()));
        if (deafReported) {
            // It acknowledged after all: the app reads its socket again.
            deafReported = false;
            meterPresence(PresenceEvent.Kind.RESPONSIVE);
            events.presence(presence(PresenceEvent.Kind.RESPONSIVE, null));
        }
        Delivery next = pending.poll();
        if (next != null) {
            deliverOnContext(next);
        }
    }

    /**
     * No PUBACK within the deadline: the app was probably suspended and its socket went deaf. Report it at
     * once instead of waiting 1.5 × keepalive. The delivery stays in flight: a late PUBACK still counts.
     */
    private void onAckTimeout(int packetId) {
        InFlight sent = inflight.get(packetId);
        if (sent == null) {
            return;
        }
        sent.span().addEvent("ack-timeout");
        if (!closed && !leaving && !deafReported) {
            deafReported = true;
            meterPresence(PresenceEvent.Kind.ACK_TIMEOUT);
            events.presence(presence(PresenceEvent.Kind.ACK_TIMEOUT, "no PUBACK within " + ackTimeoutMillis + " ms"));
        }
    }

    // ---- end ------------------------------------------------------------------------------------------------

    /** The device's credentials were rotated or revoked in the registry: it must authenticate again. */
    public void revoke() {
        context.runOnContext(v -> {
            if (isMqtt5()) {
                disconnect(MqttDisconnectReasonCode.NOT_AUTHORIZED, "revoked");
            } else {
                closeReason = "revoked";
                endpoint.close();
            }
        });
    }

    /** Another connection with the same client id arrived: MQTT says the old one goes. */
    void takeOver() {
        context.runOnContext(v -> {
            closeReason = "takeover";
            if (isMqtt5()) {
                disconnect(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, "takeover");
            } else {
                endpoint.close();
            }
        });
    }

    /**
     * The gateway is shutting down (graceful drain): report DISCONNECTED with reason "shutdown" and wait until
     * Kafka has it, so fanout routes new messages to push and inbox instead of into this socket; then send
     * DISCONNECT with {@code code} and {@code properties} (MQTT 5; MQTT 3.1.1 is just closed) and close. Deliveries
     * arriving meanwhile are dropped: fanout re-routes them on the DISCONNECTED. Called from any thread; the stage
     * completes when the connection has closed.
     */
    public CompletionStage<Void> leave(MqttDisconnectReasonCode code, MqttProperties properties) {
        context.runOnContext(v -> {
            if (closed || leaving) {
                return;
            }
            leaving = true;
            closeReason = "shutdown";
            events.presence(presence(PresenceEvent.Kind.DISCONNECTED, closeReason)).toCompletableFuture()
                    .orTimeout(LEAVE_PRESENCE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .whenComplete((ok, error) -> context.runOnContext(w -> {
                        if (closed) {
                            return; // the device went first
                        }
                        if (error != null) {
                            LOG.warnf("DISCONNECTED of %s not confirmed by Kafka before closing: %s", deviceId, error.getMessage());
                        }
                        if (isMqtt5()) {
                            disconnect(code, properties, closeReason);
                        } else {
                            endpoint.close();
                        }
                    }));
        });
        return closedFuture;
    }

    private void disconnect(MqttDisconnectReasonCode code, String reason) {
        disconnect(code, MqttProperties.NO_PROPERTIES, reason);
    }

    private void disconnect(MqttDisconnectReasonCode code, MqttProperties properties, String reason) {
        closeReason = reason;
        if (endpoint.isConnected()) {
            endpoint.disconnect(code, properties); // writes DISCONNECT, then closes the connection itself
        } else {
            endpoint.close();
        }
    }

    private void onClose() {
        if (closed) {
            return;
        }
        closed = true;
        if (metered != null) {
            metered.closed();
        }
        inflight.values().forEach(f -> {
            vertx.cancelTimer(f.timerId());
            f.span().setAttribute(MqttTracing.OUTCOME, "not-acknowledged");
            f.span().setStatus(StatusCode.ERROR, "connection closed before PUBACK (" + closeReason + ")");
            f.span().end();
        });
        inflight.clear();
        pending.clear();
        connections.remove(this);
        if (!"clean".equals(closeReason)) {
            publishWill();
        }
        if (!leaving) {
            // A drained connection reported DISCONNECTED before it closed (see leave).
            events.presence(presence(PresenceEvent.Kind.DISCONNECTED, closeReason));
        }
        closedFuture.complete(null);
    }

    /** An unclean end publishes the device's will, if it left one on a topic it may publish to. */
    private void publishWill() {
        MqttWill will = endpoint.will();
        if (will == null || !will.isWillFlag()) {
            return;
        }
        TopicPolicy.PublishKind kind = TopicPolicy.classifyPublish(deviceId, will.getWillTopic(), grants);
        if (kind != TopicPolicy.PublishKind.OWN && kind != TopicPolicy.PublishKind.GRANTED) {
            return;
        }
        byte[] payload = will.getWillMessageBytes() == null ? new byte[0] : will.getWillMessageBytes();
        events.upstream(new UpstreamMessage(deviceId, MessageId.random(), will.getWillTopic(), Math.min(will.getWillQos(), 1),
                payload, null, null));
    }

    private void meterPresence(PresenceEvent.Kind kind) {
        if (metered != null) {
            metered.presence(kind);
        }
    }

    private PresenceEvent presence(PresenceEvent.Kind kind, String reason) {
        return new PresenceEvent(deviceId, events.gatewayId(), epoch, kind, reason, System.currentTimeMillis());
    }

    private Receipt receipt(String messageId, Receipt.Outcome outcome, String reason) {
        return new Receipt(deviceId, messageId, epoch, outcome, reason, System.currentTimeMillis());
    }
}
