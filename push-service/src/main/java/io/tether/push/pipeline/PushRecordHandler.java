package io.tether.push.pipeline;

import io.tether.runtime.failure.Backoff;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.tether.contract.Json;
import io.tether.runtime.tracing.MessagingSpans;
import io.tether.contract.PushRequest;
import io.tether.contract.Receipt;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * One record of {@code tether.push} to a durable outcome: a receipt on {@code tether.receipts}, or the record
 * on {@code tether.dlq} when it cannot be read or handling it fails for a reason other than Redis or Kafka
 * being unavailable. Redis and Kafka outages are waited out with backoff; the stage completes only when the
 * outcome is in Kafka, and fails only when the service stops (the record is then redone after restart).
 */
public final class PushRecordHandler {
    private static final Logger LOG = Logger.getLogger(PushRecordHandler.class);

    private final PushProcessor processor;
    private final OutcomePublisher publisher;
    private final PushMetrics metrics;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private final MessagingSpans spans;
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("tether.receipt.outcome");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("tether.receipt.reason");

    public PushRecordHandler(PushProcessor processor, OutcomePublisher publisher, PushMetrics metrics, Backoff backoff,
            ScheduledExecutorService scheduler, MessagingSpans spans) {
        this.spans = spans;
        this.processor = processor;
        this.publisher = publisher;
        this.metrics = metrics;
        this.backoff = backoff;
        this.scheduler = scheduler;
    }

    /** Inside a "process tether.push" span continuing fanout's trace; APNs attempts and the receipt are its children. */
    public CompletionStage<Void> handle(ConsumerRecord<String, byte[]> record) {
        Span span = spans.startProcess(record, null);
        return MessagingSpans.endWhenDone(span, handle(record, span));
    }

    private CompletionStage<Void> handle(ConsumerRecord<String, byte[]> record, Span span) {
        Context trace = Context.root().with(span);
        PushRequest request;
        try {
            request = parse(record);
        } catch (IllegalArgumentException e) {
            return deadLetter(record, e.getMessage());
        }
        span.setAttribute(MessagingSpans.DEVICE_ID, request.deviceId());
        return untilAvailable(() -> processor.process(request, trace), 1)
                .thenCompose(outcome -> {
                    Receipt receipt = outcome.receipt();
                    span.setAttribute(OUTCOME, receipt.outcome().name().toLowerCase(java.util.Locale.ROOT));
                    if (receipt.reason() != null) {
                        span.setAttribute(REASON, receipt.reason());
                    }
                    return untilAvailable(() -> publisher.receipt(receipt, trace), 1).thenRun(() -> metrics.outcome(outcome));
                })
                .exceptionallyCompose(error -> {
                    Throwable cause = unwrap(error);
                    if (cause instanceof RejectedExecutionException) {
                        return CompletableFuture.failedFuture(cause); // stopping
                    }
                    LOG.errorf(cause, "message %s to device %s cannot be handled", request.messageId(), request.deviceId());
                    return deadLetter(record, "push-service failed: " + cause);
                });
    }

    private static PushRequest parse(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null || record.value().length == 0) {
            throw new IllegalArgumentException("empty record");
        }
        return Json.fromBytes(record.value(), PushRequest.class);
    }

    private CompletionStage<Void> deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        return untilAvailable(() -> publisher.deadLetter(record, reason), 1).thenRun(metrics::deadLettered);
    }

    /** Runs the step again, after a backoff, while Redis or Kafka is unavailable; other failures fail the stage. */
    private <T> CompletionStage<T> untilAvailable(Supplier<CompletionStage<T>> step, int attempt) {
        CompletionStage<T> stage;
        try {
            stage = step.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.handle((value, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(value);
            }
            Throwable cause = unwrap(error);
            if (!isUnavailable(cause)) {
                return CompletableFuture.<T>failedFuture(cause);
            }
            long delay = backoff.delay(attempt).toMillis();
            LOG.warnf("Redis or Kafka unavailable (%s), trying again in %d ms", cause.toString(), delay);
            CompletableFuture<T> next = new CompletableFuture<>();
            try {
                scheduler.schedule(() -> untilAvailable(step, attempt + 1).whenComplete((v, e) -> {
                    if (e != null) {
                        next.completeExceptionally(e);
                    } else {
                        next.complete(v);
                    }
                }), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                next.completeExceptionally(stopping);
            }
            return next;
        }).thenCompose(stage2 -> stage2);
    }

    /** Outages worth waiting for; a command Redis refuses (e.g. wrong type) is a bad record, not an outage. */
    private static boolean isUnavailable(Throwable cause) {
        return (cause instanceof RedisException && !(cause instanceof RedisCommandExecutionException))
                || cause instanceof KafkaException || cause instanceof TimeoutException || cause instanceof IOException;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
