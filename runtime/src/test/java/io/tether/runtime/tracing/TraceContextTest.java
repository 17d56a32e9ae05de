package io.tether.runtime.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tether.contract.Headers;
import io.tether.contract.KafkaHeaders;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TraceContextTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void traceparentRoundTrips() {
        Context context = TraceContext.fromTraceparent(TRACEPARENT);
        assertTrue(Span.fromContext(context).getSpanContext().isRemote());
        assertEquals(TRACEPARENT, TraceContext.traceparent(context));
    }

    @Test
    void malformedOrMissingTraceparentIsRoot() {
        assertFalse(Span.fromContext(TraceContext.fromTraceparent("not-a-traceparent")).getSpanContext().isValid());
        assertFalse(Span.fromContext(TraceContext.fromTraceparent(null)).getSpanContext().isValid());
        assertNull(TraceContext.traceparent(Context.root()));
    }

    @Test
    void injectReplacesTheTraceContextOfTheHeaders() {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>("t", "k", new byte[0]);
        KafkaHeaders.put(record.headers(), Headers.TRACEPARENT, "00-11111111111111111111111111111111-2222222222222222-01");
        record.headers().add(TraceContext.TRACESTATE, "old=1".getBytes());

        TraceContext.inject(TraceContext.fromTraceparent(TRACEPARENT), record.headers());

        assertEquals(1, record.headers().toArray().length);
        assertEquals(TRACEPARENT, KafkaHeaders.get(record.headers(), Headers.TRACEPARENT).orElseThrow());
        assertEquals(TRACEPARENT, TraceContext.traceparent(TraceContext.fromHeaders(record.headers())));
    }

    @Test
    void withTheSdkOffTheParentTravelsOnUnchanged() {
        MessagingSpans spans = new MessagingSpans(OpenTelemetry.noop());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>("tether.upstream", "dev", new byte[0]);

        spans.startSend(record, TraceContext.fromTraceparent(TRACEPARENT)).end();

        assertEquals(TRACEPARENT, KafkaHeaders.get(record.headers(), Headers.TRACEPARENT).orElseThrow());
    }

    @Test
    void sendAndProcessSpansLinkProducerToConsumerThroughTheHeaders() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        OpenTelemetry otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .build();
        MessagingSpans spans = new MessagingSpans(otel);
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        ProducerRecord<String, byte[]> out = new ProducerRecord<>("tether.push", "dev-1", new byte[0]);
        KafkaHeaders.put(out.headers(), Headers.MESSAGE_ID, "msg_1");

        spans.send(producer, out, TraceContext.fromTraceparent(TRACEPARENT)).join();
        ConsumerRecord<String, byte[]> in = new ConsumerRecord<>("tether.push", 3, 42L, "dev-1", new byte[0]);
        out.headers().forEach(h -> in.headers().add(h));
        spans.startProcess(in, "tether-push").end();

        List<SpanData> finished = exporter.getFinishedSpanItems();
        SpanData send = finished.get(0);
        SpanData process = finished.get(1);
        assertEquals("send tether.push", send.getName());
        assertEquals(SpanKind.PRODUCER, send.getKind());
        assertEquals(TRACE_ID, send.getTraceId());
        assertEquals("00f067aa0ba902b7", send.getParentSpanId());
        assertEquals("kafka", send.getAttributes().get(MessagingSpans.SYSTEM));
        assertEquals("tether.push", send.getAttributes().get(MessagingSpans.DESTINATION));
        assertEquals("send", send.getAttributes().get(MessagingSpans.OPERATION_TYPE));
        assertEquals("msg_1", send.getAttributes().get(MessagingSpans.MESSAGE_ID));
        assertEquals("process tether.push", process.getName());
        assertEquals(SpanKind.CONSUMER, process.getKind());
        assertEquals(TRACE_ID, process.getTraceId());
        assertEquals(send.getSpanId(), process.getParentSpanId());
        assertEquals("3", process.getAttributes().get(MessagingSpans.PARTITION));
        assertEquals(42L, process.getAttributes().get(MessagingSpans.OFFSET));
    }
}
