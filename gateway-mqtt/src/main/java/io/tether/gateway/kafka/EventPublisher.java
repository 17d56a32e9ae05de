package io.tether.gateway.kafka;

import io.tether.contract.Headers;
import io.tether.contract.Json;
import io.tether.contract.KafkaHeaders;
import io.tether.contract.KafkaSend;
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

    public EventPublisher(Producer<String, byte[]> producer, String gatewayId) {
        this.producer = producer;
        this.gatewayId = gatewayId;
    }

    /** One upstream MQTT PUBLISH; the payload goes to Kafka untouched. */
    public CompletionStage<Void> upstream(UpstreamMessage message) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.UPSTREAM, message.deviceId(), message.payload());
        KafkaHeaders.put(record.headers(), Headers.MESSAGE_ID, message.messageId());
        KafkaHeaders.put(record.headers(), Headers.MQTT_TOPIC, message.mqttTopic());
        KafkaHeaders.put(record.headers(), Headers.QOS, Integer.toString(message.qos()));
        KafkaHeaders.put(record.headers(), Headers.CONTENT_TYPE, message.contentType());
        KafkaHeaders.put(record.headers(), Headers.TRACEPARENT, message.traceparent());
        KafkaHeaders.put(record.headers(), Headers.GATEWAY_ID, gatewayId);
        return send(record);
    }

    public CompletionStage<Void> presence(PresenceEvent event) {
        return send(new ProducerRecord<>(Topics.PRESENCE, event.deviceId(), Json.toBytes(event)));
    }

    public CompletionStage<Void> receipt(Receipt receipt) {
        return send(new ProducerRecord<>(Topics.RECEIPTS, receipt.deviceId(), Json.toBytes(receipt)));
    }

    public String gatewayId() {
        return gatewayId;
    }

    private CompletionStage<Void> send(ProducerRecord<String, byte[]> record) {
        return KafkaSend.send(producer, record);
    }
}
