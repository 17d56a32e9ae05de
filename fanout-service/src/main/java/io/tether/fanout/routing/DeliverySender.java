package io.tether.fanout.routing;

import io.tether.contract.DeliverTopic;
import io.tether.contract.Headers;
import io.tether.contract.KafkaHeaders;
import io.tether.contract.tracing.MessagingSpans;
import io.tether.contract.tracing.TraceContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Hands inbox entries to the gateway that holds the device's connection, through its delivery topic. */
public final class DeliverySender {
    private final Producer<String, byte[]> producer;
    private final Executor sendThread;
    private final MessagingSpans spans;

    /**
     * @param sendThread where {@code send()} is called: it may block on metadata for a gateway topic it has not
     *                   seen yet, which must not happen on a Redis client thread
     */
    public DeliverySender(Producer<String, byte[]> producer, Executor sendThread, MessagingSpans spans) {
        this.spans = spans;
        this.producer = producer;
        this.sendThread = sendThread;
    }

    /** Completes when Kafka has every record; one producer and one partition keep them in order. */
    public CompletionStage<Void> send(String deviceId, DeviceQueue.Dispatch dispatch) {
        String topic = new DeliverTopic(dispatch.gatewayId()).name();
        return CompletableFuture.supplyAsync(() -> sendAll(topic, deviceId, dispatch), sendThread).thenCompose(all -> all);
    }

    private CompletableFuture<Void> sendAll(String topic, String deviceId, DeviceQueue.Dispatch dispatch) {
        List<CompletableFuture<Void>> sends = dispatch.entries().stream().map(entry -> {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, deviceId, entry.payload());
            var h = record.headers();
            KafkaHeaders.put(h, Headers.MESSAGE_ID, entry.messageId());
            KafkaHeaders.put(h, Headers.EPOCH, Long.toString(dispatch.epoch()));
            KafkaHeaders.put(h, Headers.MQTT_TOPIC, entry.mqttTopic());
            KafkaHeaders.put(h, Headers.CONTENT_TYPE, entry.contentType());
            KafkaHeaders.put(h, Headers.EXPIRES_AT, Long.toString(entry.expiresAt()));
            // Each entry continues its own message's trace (see Router.enqueueAndPump), whatever moved it along;
            // the send span writes the record's traceparent.
            return spans.send(producer, record, TraceContext.fromTraceparent(entry.traceparent()));
        }).toList();
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

}
