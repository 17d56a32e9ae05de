package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.opentelemetry.api.trace.Span;
import io.tether.contract.MessageId;
import io.tether.contract.PresenceEvent;
import io.tether.gateway.delivery.EventPublisher;
import io.tether.gateway.delivery.UpstreamMessage;
import io.tether.gateway.store.GatewayStore;
import io.tether.runtime.failure.Failures;
import io.tether.runtime.failure.ThrottledLog;
import io.tether.runtime.tracing.MessagingSpans;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * What a device PUBLISHes: checked (QoS, size, rate, topic), then written to Kafka ({@code tether.upstream}), or
 * taken as one of the {@code $tether} signals (lifecycle, push token). QoS 1 is acknowledged only once what it
 * carries is durable. One per connection, on its event loop.
 */
final class Upstream {
    private static final Logger LOG = Logger.getLogger(Upstream.class);
    /** While Kafka or Redis is down every PUBLISH fails: one line per interval, for all connections. */
    private static final ThrottledLog FAILURES = ThrottledLog.warnings(LOG, Duration.ofSeconds(10));

    private final String deviceId;
    private final Grants grants;
    private final SessionSettings settings;
    private final PublishLimiter limiter;
    private final SessionLimits limits;
    private final UpstreamBudget budget;
    private final EventPublisher events;
    private final GatewayStore store;
    private final MqttTracing tracing;
    private final ConnectionControl connection;
    private final Context context;
    private final Session session;
    private final SocketReading reading;

    /** What the upstream half needs from the rest of the session. */
    interface Session {
        boolean isClosed();

        PresenceEvent presence(PresenceEvent.Kind kind, String reason);

        /** The app changed its lifecycle state (counted, remembered for a later reassertion). */
        void lifecycle(PresenceEvent.Kind kind);

        void countUpstream();

        /** What the device PUBLISHed could not be stored (counted). */
        void countUpstreamFailure();
    }

    Upstream(String deviceId, Grants grants, SessionSettings settings, EventPublisher events, GatewayStore store, MqttTracing tracing,
            ConnectionControl connection, SocketReading reading, Context context, Session session) {
        this.deviceId = deviceId;
        this.grants = grants;
        this.settings = settings;
        this.limiter = new PublishLimiter(settings.publishPerSecond(), settings.publishBurst());
        this.limits = settings.limits();
        this.budget = limits.budget();
        this.events = events;
        this.store = store;
        this.tracing = tracing;
        this.connection = connection;
        this.context = context;
        this.session = session;
        this.reading = reading;
    }

    void onPublish(InboundPublish publish) {
        var malformed = ProtocolErrors.malformedTopics(java.util.Collections.singletonList(publish.topic()));
        if (malformed.isPresent()) {
            publish.refuseConnection(malformed.get().code(), malformed.get().label(), malformed.get().text());
            return;
        }
        if (connection.isMqtt5()) {
            var violation = ProtocolErrors.inPublish(publish.topic(), publish.properties());
            if (violation.isPresent()) {
                publish.refuseConnection(violation.get().code(), violation.get().label(), violation.get().text());
                return;
            }
        }
        if (publish.qos() == MqttQoS.EXACTLY_ONCE) {
            // CONNACK announced Maximum QoS 1 (MQTT 5); MQTT 3.1.1 has no way to refuse but closing. See the README's QoS table.
            publish.refuseConnection(MqttDisconnectReasonCode.QOS_NOT_SUPPORTED, "qos2", "QoS 2 is not supported: Maximum QoS is 1");
            return;
        }
        if (publish.isRetain() && connection.isMqtt5()) {
            // CONNACK announced Retain Available 0; MQTT 3.1.1 clients get their PUBLISH taken, the retain flag ignored.
            publish.refuseConnection(MqttDisconnectReasonCode.RETAIN_NOT_SUPPORTED, "retain", "retained messages are not supported");
            return;
        }
        if (publish.payloadLength() > settings.maxPayloadBytes()) {
            // Within the Maximum Packet Size CONNACK announced, so a quota, not a protocol error: a DISCONNECT would leave
            // an MQTT 5 client to send it again on every resumed session, where PUBACK 0x97 ends it.
            limits.refused("payload");
            publish.decline(MqttPubAckReasonCode.QUOTA_EXCEEDED, "packet-too-large",
                    "payload of " + publish.payloadLength() + " bytes; at most " + settings.maxPayloadBytes() + " are accepted");
            return;
        }
        if (!limiter.tryAcquire()) {
            limits.refused("rate");
            publish.refuse(MqttPubAckReasonCode.QUOTA_EXCEEDED, "publish rate exceeded: at most " + settings.publishPerSecond()
                    + " per second");
            return;
        }
        if (!limits.topicFits(publish.topic())) {
            limits.refused("topic");
            publish.refuse(MqttPubAckReasonCode.TOPIC_NAME_INVALID, "topic too long or too deep");
            return;
        }
        TopicPolicy.PublishKind kind = TopicPolicy.classifyPublish(deviceId, publish.topic(), grants);
        if (kind == TopicPolicy.PublishKind.DENIED) {
            publish.refuse(MqttPubAckReasonCode.NOT_AUTHORIZED, "topic not allowed: publish under devices/" + deviceId
                    + "/ or a granted topic");
            return;
        }
        if (!reserve(publish)) {
            return;
        }
        switch (kind) {
            case OWN, GRANTED -> forward(publish);
            case LIFECYCLE -> onLifecycle(publish);
            case PUSH_TOKEN -> onPushToken(publish);
            default -> throw new IllegalStateException(kind.name());
        }
    }

    /**
     * Room in the connection's {@link UpstreamBudget}, or the refusal: beyond the Receive Maximum, or too many bytes.
     * MQTT 3.1.1 has no Receive Maximum and no way to refuse but closing, so its client is held back instead: reading
     * from its socket stops while the budget is full, and what it sent before the stop took effect is taken beyond it.
     */
    private boolean reserve(InboundPublish publish) {
        boolean acknowledged = publish.qos() != MqttQoS.AT_MOST_ONCE;
        UpstreamBudget.Verdict verdict = budget.take(acknowledged, publish.payloadLength());
        if (verdict != UpstreamBudget.Verdict.TAKEN && !connection.isMqtt5() && holdBack()) {
            budget.force(acknowledged, publish.payloadLength());
            verdict = UpstreamBudget.Verdict.TAKEN;
        }
        return switch (verdict) {
            case TAKEN -> {
                if (!connection.isMqtt5() && budget.full()) {
                    holdBack();
                }
                yield true;
            }
            case INFLIGHT_EXCEEDED -> {
                limits.refused("inflight");
                publish.refuseConnection(MqttDisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "receive-maximum-exceeded",
                        "more than " + settings.maxInflight() + " QoS 1 PUBLISHes awaiting PUBACK");
                yield false;
            }
            case BYTES_EXCEEDED -> {
                limits.refused("queued-bytes");
                publish.refuse(MqttPubAckReasonCode.QUOTA_EXCEEDED, "too much on its way to Kafka: resend after the PUBACKs");
                yield false;
            }
        };
    }

    /** Stops reading from the socket (MQTT 3.1.1); false when it cannot be stopped, and the client is refused as on MQTT 5. */
    private boolean holdBack() {
        if (!connection.readingHeld()) {
            connection.readingHeld(reading.pause());
        }
        return connection.readingHeld();
    }

    private void release(InboundPublish publish) {
        budget.release(publish.qos() != MqttQoS.AT_MOST_ONCE, publish.payloadLength());
        if (connection.readingHeld() && !budget.full()) {
            connection.readingHeld(false);
            reading.resume();
        }
    }

    /**
     * Into Kafka with what the device set for backends (user properties, Response Topic, Correlation Data, content type);
     * its MQTT 5 {@code traceparent}, if it sent one, is continued by the record's trace.
     */
    private void forward(InboundPublish publish) {
        MqttProperties props = publish.properties();
        int qos = publish.qos().value();
        session.countUpstream();
        UpstreamMessage upstream = new UpstreamMessage(deviceId, MessageId.random(), publish.topic(), qos, publish.payload(),
                MqttProps.contentType(props).orElse(null), MqttProps.userProperty(props, "traceparent").orElse(null),
                MqttProps.messageProperties(props));
        Span span = tracing.startReceive(deviceId, publish.topic(), qos, props);
        if (span.isRecording()) {
            span.setAttribute(MessagingSpans.MESSAGE_ID, upstream.messageId());
        }
        acknowledgeWhenDurable(publish, MessagingSpans.endWhenDone(span,
                events.upstream(upstream, io.opentelemetry.context.Context.root().with(span))));
    }

    private void onLifecycle(InboundPublish publish) {
        String signal = new String(publish.payload(), StandardCharsets.UTF_8).trim().toLowerCase(Locale.ROOT);
        PresenceEvent.Kind kind = switch (signal) {
            case "background" -> PresenceEvent.Kind.BACKGROUND;
            case "foreground" -> PresenceEvent.Kind.FOREGROUND;
            default -> null;
        };
        if (kind == null) {
            release(publish);
            publish.refuse(MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID, "lifecycle payload must be background or foreground");
            return;
        }
        session.lifecycle(kind);
        acknowledgeWhenDurable(publish, events.presence(session.presence(kind, null)));
    }

    /** The app reports one of its APNs tokens (any kind, see {@link PushTokenReport}). */
    private void onPushToken(InboundPublish publish) {
        PushTokenReport report;
        try {
            report = PushTokenReport.parse(publish.payload());
        } catch (IllegalArgumentException e) {
            release(publish);
            publish.refuse(MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID, e.getMessage());
            return;
        }
        CompletionStage<Void> stored = store.updatePushToken(deviceId, report.slot(), report.token(), report.environment(),
                report.activityType()).thenApply(found -> {
            if (!found) {
                throw new IllegalStateException("device record gone");
            }
            return null;
        });
        acknowledgeWhenDurable(publish, stored);
    }

    /**
     * QoS 1: acknowledge only once the record is durable; on failure the client must send it again. A failure is
     * counted and logged whatever the QoS: a QoS 0 message that was not stored is lost.
     */
    private void acknowledgeWhenDurable(InboundPublish publish, CompletionStage<Void> durable) {
        Future.fromCompletionStage(durable, context).onComplete(result -> {
            release(publish);
            if (result.failed()) {
                session.countUpstreamFailure();
                FAILURES.warnf("upstream write for %s (QoS %d) failed: %s", deviceId, publish.qos().value(),
                        Failures.reason(result.cause()));
            }
            if (publish.qos() == MqttQoS.AT_MOST_ONCE || session.isClosed()) {
                return;
            }
            if (result.succeeded()) {
                publish.acknowledge();
            } else {
                publish.refuse(MqttPubAckReasonCode.UNSPECIFIED_ERROR, "not stored");
            }
        });
    }

    /** An unclean end publishes the device's will, if it left one on a topic it may publish to. */
    void publishWill(io.vertx.mqtt.MqttWill will, Consumer<UpstreamMessage> sink) {
        if (will == null || !will.isWillFlag()) {
            return;
        }
        TopicPolicy.PublishKind kind = TopicPolicy.classifyPublish(deviceId, will.getWillTopic(), grants);
        if (kind != TopicPolicy.PublishKind.OWN && kind != TopicPolicy.PublishKind.GRANTED) {
            return;
        }
        byte[] payload = will.getWillMessageBytes() == null ? new byte[0] : will.getWillMessageBytes();
        MqttProperties props = will.getWillProperties();
        sink.accept(new UpstreamMessage(deviceId, MessageId.random(), will.getWillTopic(), Math.min(will.getWillQos(), 1),
                payload, MqttProps.contentType(props).orElse(null), MqttProps.userProperty(props, "traceparent").orElse(null),
                MqttProps.messageProperties(props)));
    }
}
