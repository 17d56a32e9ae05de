package io.tether.fanout.intake;

import io.tether.contract.Target;

/**
 * A message accepted for delivery, as it travels on {@code tether.downstream}.
 *
 * @param subtopic    level(s) under {@code devices/<id>/} it is delivered on
 * @param acceptedAt  epoch millis
 * @param expiresAt   epoch millis after which it is not delivered
 * @param collapseKey APNs collapse id, or null
 * @param push        push options as JSON text, or null
 * @param traceparent W3C trace context, or null
 */
public record OutgoingMessage(String messageId, Target target, byte[] payload, String contentType, String subtopic,
        long acceptedAt, long expiresAt, String collapseKey, String push, String traceparent) {

    /** The same message addressed to one of the devices its target expands to. */
    public OutgoingMessage forDevice(String deviceId) {
        return new OutgoingMessage(messageId, Target.device(deviceId), payload, contentType, subtopic, acceptedAt, expiresAt,
                collapseKey, push, traceparent);
    }

    /** The same message with another payload (an attachment document replaces the backend's payload). */
    public OutgoingMessage withPayload(byte[] newPayload, String newContentType) {
        return new OutgoingMessage(messageId, target, newPayload, newContentType, subtopic, acceptedAt, expiresAt, collapseKey,
                push, traceparent);
    }

    public String mqttTopic(String deviceId) {
        return "devices/" + deviceId + "/" + subtopic;
    }
}
