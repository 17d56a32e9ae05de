package io.tether.fanout.routing;

import io.tether.contract.Json;
import io.tether.contract.Headers;
import io.tether.contract.KafkaHeaders;
import io.tether.contract.tracing.MessagingSpans;
import io.tether.contract.tracing.TraceContext;
import io.tether.contract.PushRequest;
import io.tether.contract.Topics;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes push requests for push-service on {@code tether.push}, keyed by device. */
public final class PushRequests {
    private final Producer<String, byte[]> producer;

    private final MessagingSpans spans;

    public PushRequests(Producer<String, byte[]> producer, MessagingSpans spans) {
        this.producer = producer;
        this.spans = spans;
    }

    public CompletionStage<Void> send(String deviceId, DeviceQueue.Fallback fallback) {
        List<CompletableFuture<Void>> sends = fallback.entries().stream().map(entry -> {
            PushRequest request = new PushRequest(deviceId, entry.messageId(), entry.acceptedAt(), entry.expiresAt(),
                    entry.collapseKey(), entry.push(), entry.payload(), entry.contentType(), fallback.reason(), entry.traceparent());
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.PUSH, deviceId, Json.toBytes(request));
            KafkaHeaders.put(record.headers(), Headers.MESSAGE_ID, entry.messageId());
            return spans.send(producer, record, TraceContext.fromTraceparent(entry.traceparent()));
        }).toList();
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }
}
