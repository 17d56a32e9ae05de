package io.tether.fanout.intake;

import io.tether.contract.Headers;
import io.tether.contract.Json;
import io.tether.contract.KafkaHeaders;
import io.tether.contract.MessageProperties;
import io.tether.contract.Target;
import io.tether.contract.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** {@link OutgoingMessage} to and from {@code tether.downstream}: payload as the value, the rest in headers. */
public final class DownstreamCodec {
    private DownstreamCodec() {
    }

    public static ProducerRecord<String, byte[]> toRecord(OutgoingMessage message) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.DOWNSTREAM, message.target().partitionKey(), message.payload());
        var h = record.headers();
        KafkaHeaders.put(h, Headers.MESSAGE_ID, message.messageId());
        KafkaHeaders.put(h, Headers.TARGET, Json.toString(message.target()));
        KafkaHeaders.put(h, Headers.CONTENT_TYPE, message.contentType());
        KafkaHeaders.put(h, Headers.SUBTOPIC, message.subtopic());
        KafkaHeaders.put(h, Headers.ACCEPTED_AT, Long.toString(message.acceptedAt()));
        KafkaHeaders.put(h, Headers.EXPIRES_AT, Long.toString(message.expiresAt()));
        KafkaHeaders.put(h, Headers.COLLAPSE_KEY, message.collapseKey());
        KafkaHeaders.put(h, Headers.PUSH, message.push());
        KafkaHeaders.put(h, Headers.TRACEPARENT, message.traceparent());
        MessageProperties.writeTo(h, message.properties());
        return record;
    }

    /** @throws IllegalArgumentException when the record is not a valid downstream message */
    public static OutgoingMessage fromRecord(ConsumerRecord<String, byte[]> record) {
        var h = record.headers();
        try {
            return new OutgoingMessage(
                    KafkaHeaders.require(h, Headers.MESSAGE_ID),
                    Json.fromString(KafkaHeaders.require(h, Headers.TARGET), Target.class),
                    record.value() == null ? new byte[0] : record.value(),
                    KafkaHeaders.get(h, Headers.CONTENT_TYPE).orElse(null),
                    KafkaHeaders.get(h, Headers.SUBTOPIC).orElse("messages"),
                    Long.parseLong(KafkaHeaders.require(h, Headers.ACCEPTED_AT)),
                    Long.parseLong(KafkaHeaders.require(h, Headers.EXPIRES_AT)),
                    KafkaHeaders.get(h, Headers.COLLAPSE_KEY).orElse(null),
                    KafkaHeaders.get(h, Headers.PUSH).orElse(null),
                    KafkaHeaders.get(h, Headers.TRACEPARENT).orElse(null),
                    MessageProperties.readFrom(h));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed downstream header: " + e.getMessage(), e);
        }
    }
}
