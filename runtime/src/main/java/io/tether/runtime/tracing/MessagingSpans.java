package io.tether.runtime.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.tether.contract.Headers;
import io.tether.contract.KafkaHeaders;
import io.tether.runtime.kafka.KafkaSend;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Spans for Kafka records after the OpenTelemetry messaging semantic conventions: a PRODUCER span
 * {@code send <topic>} whose context goes into the record's {@code traceparent} header, and a CONSUMER span
 * {@code process <topic>} that continues the context found there. Parents are passed explicitly: most of this
 * code runs on Kafka, Lettuce or Netty threads where {@link Context#current()} means nothing.
 */
public final class MessagingSpans {
    public static final String INSTRUMENTATION = "io.tether";
    public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    public static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<String> DESTINATION_TEMPLATE = AttributeKey.stringKey("messaging.destination.template");
    public static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    public static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    public static final AttributeKey<String> KAFKA_KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    public static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    public static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    public static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    public static final AttributeKey<String> DEVICE_ID = AttributeKey.stringKey("tether.device.id");

    private final Tracer tracer;
    private final boolean recording;

    /** @param openTelemetry {@link OpenTelemetry#noop()} when tracing is off: then no span is built at all */
    public MessagingSpans(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
        this.recording = openTelemetry != OpenTelemetry.noop();
    }

    /** No tracing: spans only pass their parent's context on. */
    public static MessagingSpans off() {
        return new MessagingSpans(OpenTelemetry.noop());
    }

    public Tracer tracer() {
        return tracer;
    }

    /** False when tracing is off: callers skip building names and attributes. */
    public boolean isRecording() {
        return recording;
    }

    /**
     * Starts an INTERNAL span {@code name} under {@code parent}, or, when tracing is off, a non-recording span that
     * carries the parent's context (so what continues it still joins the caller's trace).
     */
    public Span startInternal(String name, Context parent) {
        Context from = parent == null ? Context.root() : parent;
        if (!recording) {
            return Span.wrap(Span.fromContext(from).getSpanContext());
        }
        return tracer.spanBuilder(name).setParent(from).setSpanKind(SpanKind.INTERNAL).startSpan();
    }

    /**
     * Starts {@code send <topic>} under {@code parent} and writes its context into the record's headers. The
     * caller ends it (see {@link #send(Producer, ProducerRecord, Context)} for the usual case).
     */
    public Span startSend(ProducerRecord<String, ?> record, Context parent) {
        if (!recording) {
            // The no-op span is the parent's context: the record carries the caller's traceparent on, unchanged.
            Span passThrough = Span.wrap(Span.fromContext(parent == null ? Context.root() : parent).getSpanContext());
            TraceContext.inject(parent, record.headers());
            return passThrough;
        }
        SpanBuilder builder = tracer.spanBuilder("send " + record.topic())
                .setParent(parent == null ? Context.root() : parent)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(DESTINATION, record.topic())
                .setAttribute(OPERATION_TYPE, "send")
                .setAttribute(OPERATION_NAME, "send");
        if (record.key() != null) {
            builder.setAttribute(KAFKA_KEY, record.key());
        }
        KafkaHeaders.get(record.headers(), Headers.MESSAGE_ID).ifPresent(id -> builder.setAttribute(MESSAGE_ID, id));
        Span span = builder.startSpan();
        TraceContext.inject((parent == null ? Context.root() : parent).with(span), record.headers());
        return span;
    }

    /** Sends the record inside a {@code send <topic>} span that ends when the broker acknowledged it (or refused). */
    public <V> CompletableFuture<Void> send(Producer<String, V> producer, ProducerRecord<String, V> record, Context parent) {
        Span span = startSend(record, parent);
        return endWhenDone(span, KafkaSend.send(producer, record)).toCompletableFuture();
    }

    /** Starts {@code process <topic>} continuing the trace context of the record's headers (a new trace when none). */
    public Span startProcess(ConsumerRecord<String, ?> record, String consumerGroup) {
        if (!recording) {
            return Span.wrap(Span.fromContext(TraceContext.fromHeaders(record.headers())).getSpanContext());
        }
        SpanBuilder builder = tracer.spanBuilder("process " + record.topic())
                .setParent(TraceContext.fromHeaders(record.headers()))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(DESTINATION, record.topic())
                .setAttribute(OPERATION_TYPE, "process")
                .setAttribute(OPERATION_NAME, "process")
                .setAttribute(PARTITION, Integer.toString(record.partition()))
                .setAttribute(OFFSET, record.offset());
        if (consumerGroup != null) {
            builder.setAttribute(CONSUMER_GROUP, consumerGroup);
        }
        if (record.key() != null) {
            builder.setAttribute(KAFKA_KEY, record.key());
        }
        KafkaHeaders.get(record.headers(), Headers.MESSAGE_ID).ifPresent(id -> builder.setAttribute(MESSAGE_ID, id));
        return builder.startSpan();
    }

    /** Ends {@code span} when {@code stage} completes, marking it as an error when the stage failed. */
    public static <T> CompletionStage<T> endWhenDone(Span span, CompletionStage<T> stage) {
        return stage.whenComplete((value, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                span.recordException(cause);
                span.setStatus(StatusCode.ERROR, String.valueOf(cause.getMessage()));
            }
            span.end();
        });
    }
}
