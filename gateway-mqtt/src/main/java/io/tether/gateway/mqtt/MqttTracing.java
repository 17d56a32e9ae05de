package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.tether.contract.Headers;
import io.tether.runtime.tracing.MessagingSpans;
import io.tether.runtime.tracing.TraceContext;

/**
 * Spans for MQTT, which no instrumentation covers, and W3C trace context in MQTT 5 user properties
 * ({@code traceparent}, as EMQX and others carry it). Span names follow the messaging conventions with the device
 * id replaced by {@code {id}} so that they stay few: {@code receive devices/{id}/telemetry},
 * {@code publish devices/{id}/messages}.
 */
public final class MqttTracing {
    static final AttributeKey<Long> QOS = AttributeKey.longKey("tether.mqtt.qos");
    static final AttributeKey<Long> PACKET_ID = AttributeKey.longKey("tether.mqtt.packet_id");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("tether.delivery.outcome");
    static final AttributeKey<Long> PUBACK_REASON = AttributeKey.longKey("tether.mqtt.puback.reason_code");

    private final Tracer tracer;
    private final boolean recording;

    /** Off ({@link MessagingSpans#off()}), no span is built: a PUBLISH only passes the device's traceparent on. */
    public MqttTracing(MessagingSpans spans) {
        this.tracer = spans.tracer();
        this.recording = spans.isRecording();
    }

    /** The trace a PUBLISH continues: its MQTT 5 {@code traceparent} user property; root when it has none. */
    static Context fromProperties(MqttProperties properties) {
        return TraceContext.fromTraceparent(MqttProps.userProperty(properties, Headers.TRACEPARENT).orElse(null));
    }

    /** Adds the {@code traceparent} user property for {@code context}; nothing when it holds no span. */
    static void inject(Context context, MqttProperties properties) {
        String traceparent = TraceContext.traceparent(context);
        if (traceparent != null) {
            properties.add(new MqttProperties.UserProperty(Headers.TRACEPARENT, traceparent));
        }
    }

    /** {@code devices/<deviceId>/rest} as {@code devices/{id}/rest}; other topics unchanged. */
    static String template(String deviceId, String topic) {
        String own = "devices/" + deviceId + "/";
        return topic.startsWith(own) ? "devices/{id}/" + topic.substring(own.length()) : topic;
    }

    /** A device's PUBLISH, from arrival until the gateway answers it (PUBACK once Kafka has it). */
    Span startReceive(String deviceId, String topic, int qos, MqttProperties properties) {
        if (!recording) {
            return Span.wrap(Span.fromContext(fromProperties(properties)).getSpanContext());
        }
        String template = template(deviceId, topic);
        return tracer.spanBuilder("receive " + template)
                .setParent(fromProperties(properties))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MessagingSpans.SYSTEM, "mqtt")
                .setAttribute(MessagingSpans.DESTINATION, topic)
                .setAttribute(MessagingSpans.DESTINATION_TEMPLATE, template)
                .setAttribute(MessagingSpans.OPERATION_TYPE, "receive")
                .setAttribute(MessagingSpans.OPERATION_NAME, "receive")
                .setAttribute(MessagingSpans.DEVICE_ID, deviceId)
                .setAttribute(QOS, (long) qos)
                .startSpan();
    }

    /** A delivery to the device, from PUBLISH until its PUBACK (or the end of the connection). */
    Span startPublish(String deviceId, String topic, String messageId, int packetId, Context parent) {
        if (!recording) {
            return Span.wrap(Span.fromContext(parent == null ? Context.root() : parent).getSpanContext());
        }
        String template = template(deviceId, topic);
        return tracer.spanBuilder("publish " + template)
                .setParent(parent == null ? Context.root() : parent)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(MessagingSpans.SYSTEM, "mqtt")
                .setAttribute(MessagingSpans.DESTINATION, topic)
                .setAttribute(MessagingSpans.DESTINATION_TEMPLATE, template)
                .setAttribute(MessagingSpans.OPERATION_TYPE, "send")
                .setAttribute(MessagingSpans.OPERATION_NAME, "publish")
                .setAttribute(MessagingSpans.MESSAGE_ID, messageId)
                .setAttribute(MessagingSpans.DEVICE_ID, deviceId)
                .setAttribute(QOS, 1L)
                .setAttribute(PACKET_ID, (long) packetId)
                .startSpan();
    }
}
