package io.tether.fanout.routing;

import io.tether.contract.Headers;
import io.tether.contract.Json;
import io.tether.contract.KafkaHeaders;
import io.tether.contract.PushRequest;
import io.tether.contract.Topics;
import io.tether.inbox.Pump;
import io.tether.runtime.tracing.MessagingSpans;
import io.tether.runtime.tracing.TraceContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes push requests for push-service on {@code tether.push}, keyed by device, each with the device's token as
 * the routing script read it (push-service's read of the registry saved while that is fresh).
 */
public final class PushRequests {
    private final Producer<String, byte[]> producer;
    private final MessagingSpans spans;

    public PushRequests(Producer<String, byte[]> producer, MessagingSpans spans) {
        this.producer = producer;
        this.spans = spans;
    }

    /** Completes when Kafka has every request of the batch. */
    public CompletionStage<Void> send(String deviceId, Pump.Push push) {
        CompletableFuture<?>[] sends = push.entries().stream().map(entry -> {
            PushRequest request = new PushRequest(deviceId, entry.messageId(), entry.acceptedAt(), entry.expiresAt(),
                    entry.collapseKey(), entry.push(), entry.payload(), entry.contentType(), push.reason(), entry.traceparent(),
                    push.recipient());
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.PUSH, deviceId, Json.toBytes(request));
            KafkaHeaders.put(record.headers(), Headers.MESSAGE_ID, entry.messageId());
            return spans.send(producer, record, TraceContext.fromTraceparent(entry.traceparent()));
        }).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(sends);
    }
}
