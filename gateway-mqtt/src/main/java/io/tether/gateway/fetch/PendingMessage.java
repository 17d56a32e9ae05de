package io.tether.gateway.fetch;

/**
 * A message waiting in a device's inbox, as fanout stored it (the fields of its inbox entry that a fetch shows; the
 * entry's other fields are ignored).
 *
 * @param acceptedAt epoch millis
 * @param expiresAt  epoch millis
 */
public record PendingMessage(String messageId, String mqttTopic, byte[] payload, String contentType, long acceptedAt,
        long expiresAt) {
}
