package io.tether.push.pipeline;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.tether.contract.Json;
import io.tether.contract.PushRequest;
import io.tether.contract.Receipt;
import io.tether.runtime.failure.PermanentFailure;
import io.tether.runtime.failure.Retry;
import io.tether.runtime.tracing.MessagingSpans;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One record of {@code tether.push} to a durable outcome: a receipt on {@code tether.receipts} once Kafka has it. Each
 * step is retried on its own while it fails transiently (Redis or Kafka away), so an APNs push is never sent twice
 * because only its receipt failed. A record that can never be handled (unreadable, or a permanent failure) fails the
 * stage, and the shared consumer loop dead-letters it with the reason; the stage also fails when the service stops
 * (the record is then redone after restart).
 */
public final class PushRecordHandler {
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("tether.receipt.outcome");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("tether.receipt.reason");

    private final PushProcessor processor;
    private final OutcomePublisher publisher;
    private final PushMetrics metrics;
    private final Retry retry;
    private final MessagingSpans spans;

    public PushRecordHandler(PushProcessor processor, OutcomePublisher publisher, PushMetrics metrics, Retry retry, MessagingSpans spans) {
        this.processor = processor;
        this.publisher = publisher;
        this.metrics = metrics;
        this.retry = retry;
        this.spans = spans;
    }

    /** Inside a "process tether.push" span continuing fanout's trace; APNs attempts and the receipt are its children. */
    public CompletionStage<Void> handle(ConsumerRecord<String, byte[]> record) {
        Span span = spans.startProcess(record, null);
        return MessagingSpans.endWhenDone(span, handle(record, span));
    }

    private CompletionStage<Void> handle(ConsumerRecord<String, byte[]> record, Span span) {
        Context trace = Context.root().with(span);
        PushRequest request = parse(record);
        if (span.isRecording()) {
            span.setAttribute(MessagingSpans.DEVICE_ID, request.deviceId());
        }
        return retry.whileTransient("push " + request.messageId(), () -> processor.process(request, trace))
                .thenCompose(outcome -> {
                    Receipt receipt = outcome.receipt();
                    if (span.isRecording()) {
                        span.setAttribute(OUTCOME, receipt.outcome().name().toLowerCase(java.util.Locale.ROOT));
                        if (receipt.reason() != null) {
                            span.setAttribute(REASON, receipt.reason());
                        }
                    }
                    return retry.whileTransient("receipt of " + request.messageId(), () -> publisher.receipt(receipt, trace))
                            .thenRun(() -> metrics.outcome(outcome));
                });
    }

    private static PushRequest parse(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null || record.value().length == 0) {
            throw new PermanentFailure("empty record");
        }
        return Json.fromBytes(record.value(), PushRequest.class); // IllegalArgumentException: permanent

    }
}
