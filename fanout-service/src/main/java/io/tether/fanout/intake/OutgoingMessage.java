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

    /** The same message addressed to one of the devices its target expands to (a topic's keep the topic). */
    public OutgoingMessage forDevice(String deviceId) {
        Target perDevice = target.topic() != null ? Target.deviceOnTopic(deviceId, target.topic()) : Target.device(deviceId);
        return new OutgoingMessage(messageId, perDevice, payload, contentType, subtopic, acceptedAt, expiresAt,
                collapseKey, push, traceparent);
    }

    /** The same message under another id, accepted and expiring at other times (an idempotent retry of an earlier one). */
    public OutgoingMessage as(String id, long accepted, long expires) {
        return new OutgoingMessage(id, target, payload, contentType, subtopic, accepted, expires, collapseKey, push, traceparent);
    }

    /** The MQTT topic it is delivered on: the topic it was sent to, or {@code devices/<id>/<subtopic>}. */
    public String mqttTopic(String deviceId) {
        return target.topic() != null ? target.topic() : "devices/" + deviceId + "/" + subtopic;
    }
}
