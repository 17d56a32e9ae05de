package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tether.runtime.tracing.MessagingSpans;
import io.tether.runtime.tracing.TraceContext;
import org.junit.jupiter.api.Test;

class MqttTracingTest {
    private static final String DEVICE_TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final MqttTracing tracing = new MqttTracing(new MessagingSpans(OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .build()));

    @Test
    void aTraceparentUserPropertyIsTheParentOfTheReceiveSpan() {
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.UserProperty("other", "x"));
        props.add(new MqttProperties.UserProperty("traceparent", DEVICE_TRACEPARENT));

        tracing.startReceive("dev-1", "devices/dev-1/telemetry", 1, props).end();

        SpanData span = exporter.getFinishedSpanItems().get(0);
        assertEquals("receive devices/{id}/telemetry", span.getName());
        assertEquals(SpanKind.CONSUMER, span.getKind());
        assertEquals("0af7651916cd43dd8448eb211c80319c", span.getTraceId());
        assertEquals("b7ad6b7169203331", span.getParentSpanId());
        assertEquals("mqtt", span.getAttributes().get(MessagingSpans.SYSTEM));
        assertEquals("devices/dev-1/telemetry", span.getAttributes().get(MessagingSpans.DESTINATION));
        assertEquals("devices/{id}/telemetry", span.getAttributes().get(MessagingSpans.DESTINATION_TEMPLATE));
    }

    @Test
    void withoutAUserPropertyAPublishStartsANewTrace() {
        assertFalse(Span.fromContext(MqttTracing.fromProperties(new MqttProperties())).getSpanContext().isValid());
        assertFalse(Span.fromContext(MqttTracing.fromProperties(null)).getSpanContext().isValid());
    }

    @Test
    void aDeliveryCarriesTheTraceparentOfItsPublishSpan() {
        Context parent = TraceContext.fromTraceparent(DEVICE_TRACEPARENT);
        Span publish = tracing.startPublish("dev-1", "devices/dev-1/messages", "msg_1", 7, parent);

        MqttProperties props = MqttProps.delivery("msg_1", "text/plain", parent.with(publish));
        publish.end();

        String sent = MqttProps.userProperty(props, "traceparent").orElseThrow();
        SpanData span = exporter.getFinishedSpanItems().get(0);
        assertEquals("00-" + span.getTraceId() + "-" + span.getSpanId() + "-01", sent);
        assertEquals("b7ad6b7169203331", span.getParentSpanId());
        assertEquals("publish devices/{id}/messages", span.getName());
        assertEquals(SpanKind.PRODUCER, span.getKind());
        assertEquals("msg_1", MqttProps.userProperty(props, "tether-message-id").orElseThrow());
    }

    @Test
    void withTheSdkOffADeliveryPassesItsParentsTraceparentOn() {
        MqttTracing off = new MqttTracing(MessagingSpans.off());
        Context parent = TraceContext.fromTraceparent(DEVICE_TRACEPARENT);
        Span publish = off.startPublish("dev-1", "devices/dev-1/messages", "msg_1", 1, parent);

        MqttProperties props = MqttProps.delivery("msg_1", null, parent.with(publish));

        assertEquals(DEVICE_TRACEPARENT, MqttProps.userProperty(props, "traceparent").orElseThrow());
    }

    @Test
    void noTraceNoUserProperty() {
        MqttProperties props = MqttProps.delivery("msg_1", null, Context.root());
        assertTrue(MqttProps.userProperty(props, "traceparent").isEmpty());
    }

    @Test
    void onlyTheDevicesOwnIdBecomesATemplate() {
        assertEquals("devices/{id}/a/b", MqttTracing.template("d1", "devices/d1/a/b"));
        assertEquals("devices/d2/a", MqttTracing.template("d1", "devices/d2/a"));
        assertEquals("$tether/lifecycle", MqttTracing.template("d1", "$tether/lifecycle"));
    }
}
