package io.tether.push.pipeline;

import io.opentelemetry.context.Context;
import io.tether.runtime.tracing.MessagingSpans;

import io.tether.contract.Headers;
import io.tether.contract.Json;
import io.tether.contract.KafkaHeaders;
import io.tether.contract.Receipt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes what became of push requests: receipts, keyed by device id. Stages complete when
 * the broker has the record ({@code acks=all}): only then may the request's offset be committed.
 */
public final class OutcomePublisher {
    private final Producer<String, byte[]> producer;
    private final PushTopics topics;
    private final Executor sendThread;
    private final MessagingSpans spans;

    /**
     * @param sendThread where {@code send()} is called: it may block on metadata, which must not happen on a
     *                   Netty (Pushy) or Lettuce thread
     */
    public OutcomePublisher(Producer<String, byte[]> producer, PushTopics topics, Executor sendThread, MessagingSpans spans) {
        this.spans = spans;
        this.producer = producer;
        this.topics = topics;
        this.sendThread = sendThread;
    }

    /** The receipt, in a {@code send} span under {@code trace}: fanout's handling of it continues the message's trace. */
    public CompletionStage<Void> receipt(Receipt receipt, Context trace) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.receipts(), receipt.deviceId(), Json.toBytes(receipt));
        KafkaHeaders.put(record.headers(), Headers.MESSAGE_ID, receipt.messageId());
        return CompletableFuture.supplyAsync(() -> spans.send(producer, record, trace), sendThread).thenCompose(sent -> sent);
    }
}
