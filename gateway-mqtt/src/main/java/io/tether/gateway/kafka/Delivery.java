package io.tether.gateway.kafka;

import io.tether.contract.Headers;
import io.tether.contract.KafkaHeaders;
import io.opentelemetry.context.Context;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One message fanout asks this gateway to hand to a device connection.
 *
 * @param epoch     the connection epoch it is meant for; another connection of the device must not get it
 * @param expiresAt epoch millis after which it must not be delivered, 0 for never
 * @param trace     the trace context the PUBLISH to the device continues
 */
public record Delivery(String deviceId, String messageId, long epoch, String mqttTopic, byte[] payload,
        String contentType, long expiresAt, Context trace) {

    /**
     * @param trace the context of the consumer's {@code process} span, which already continued the record's headers
     * @throws IllegalArgumentException when a required header is missing or malformed
     */
    public static Delivery from(ConsumerRecord<String, byte[]> record, Context trace) {
        var headers = record.headers();
        return new Delivery(
                record.key(),
                KafkaHeaders.require(headers, Headers.MESSAGE_ID),
                Long.parseLong(KafkaHeaders.require(headers, Headers.EPOCH)),
                KafkaHeaders.require(headers, Headers.MQTT_TOPIC),
                record.value() == null ? new byte[0] : record.value(),
                KafkaHeaders.get(headers, Headers.CONTENT_TYPE).orElse(null),
                KafkaHeaders.get(headers, Headers.EXPIRES_AT).map(Long::parseLong).orElse(0L),
                trace);
    }

    public boolean isExpired(long nowMillis) {
        return expiresAt > 0 && nowMillis >= expiresAt;
    }
}
