package io.tether.gateway.delivery;

/**
 * A PUBLISH from a device, as it goes to {@code tether.upstream}.
 *
 * @param contentType MQTT 5 content type, or null
 * @param traceparent W3C trace context from the MQTT 5 user property, or null
 */
public record UpstreamMessage(String deviceId, String messageId, String mqttTopic, int qos, byte[] payload,
        String contentType, String traceparent) {
}
