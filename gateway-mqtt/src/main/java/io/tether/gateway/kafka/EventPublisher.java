package io.tether.gateway.kafka;

import io.tether.contract.Headers;
import io.tether.contract.Json;
import io.tether.contract.KafkaHeaders;
import io.tether.contract.KafkaSend;
import io.opentelemetry.context.Context;
import io.tether.contract.tracing.MessagingSpans;
import io.tether.contract.tracing.TraceContext;
import io.tether.contract.PresenceEvent;
import io.tether.contract.Receipt;
import io.tether.contract.Topics;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Everything the gateway writes to Kafka: upstream publishes, presence events and receipts, keyed by device
 * id so that they stay in order per device. The returned stage completes when the broker acknowledged the
 * record ({@code acks=all}), which is what a QoS 1 PUBACK waits for.
 */
public final class EventPublisher {
    private final Producer<String, byte[]> producer;
    private final String gatewayId;
    private final MessagingSpans spans;

    public EventPublisher(Producer<String, byte[]> producer, String gatewayId, MessagingSpans spans) {
        this.spans = spans;
        this.producer = producer;
        this.gatewayId = gatewayId;
    }

    /** One upstream MQTT PUBLISH without a trace of its own (a will): it continues its {@code traceparent}, if any. */
    public CompletionStage<Void> upstream(UpstreamMessage message) {
        return upstream(message, TraceContext.fromTraceparent(message.traceparent()));
    }

    /**
     * One upstream MQTT PUBLISH; the payload goes to Kafka untouched. The record's {@code traceparent} header is
     * that of its {@code send} span, a child of {@code trace}, so backends consuming it continue the device's trace.
     */
    public CompletionStage<Void> upstream(UpstreamMessage message, Context trace) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.UPSTREAM, message.deviceId(), message.payload());
        KafkaHeaders.put(record.headers(), Headers.MESSAGE_ID, message.messageId());
        KafkaHeaders.put(record.headers(), Headers.MQTT_TOPIC, message.mqttTopic());
        KafkaHeaders.put(record.headers(), Headers.QOS, Integer.toString(message.qos()));
        KafkaHeaders.put(record.headers(), Headers.CONTENT_TYPE, message.contentType());
        KafkaHeaders.put(record.headers(), Headers.GATEWAY_ID, gatewayId);
        return spans.send(producer, record, trace);
    }

    public CompletionStage<Void> presence(PresenceEvent event) {
        return send(new ProducerRecord<>(Topics.PRESENCE, event.deviceId(), Json.toBytes(event)));
    }

    public CompletionStage<Void> receipt(Receipt receipt) {
        return send(new ProducerRecord<>(Topics.RECEIPTS, receipt.deviceId(), Json.toBytes(receipt)));
    }

    /** A receipt continuing the trace of the delivery it answers (fanout settles it in that trace). */
    public CompletionStage<Void> receipt(Receipt receipt, Context trace) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.RECEIPTS, receipt.deviceId(), Json.toBytes(receipt));
        KafkaHeaders.put(record.headers(), Headers.MESSAGE_ID, receipt.messageId());
        return spans.send(producer, record, trace);
    }

    public String gatewayId() {
        return gatewayId;
    }

    private CompletionStage<Void> send(ProducerRecord<String, byte[]> record) {
        return KafkaSend.send(producer, record);
    }
}
