package io.tether.fanout.routing;

import io.tether.contract.Json;
import io.tether.fanout.intake.OutgoingMessage;

/**
 * A message as it waits in a device's inbox (JSON in Redis; the Lua scripts read {@code expiresAt} and
 * {@code size}).
 */
public record InboxEntry(String messageId, String mqttTopic, byte[] payload, String contentType, long acceptedAt,
        long expiresAt, int size, String collapseKey, String push, String traceparent) {

    public static InboxEntry of(OutgoingMessage message, String deviceId) {
        return new InboxEntry(message.messageId(), message.mqttTopic(deviceId), message.payload(), message.contentType(),
                message.acceptedAt(), message.expiresAt(), message.payload().length, message.collapseKey(), message.push(),
                message.traceparent());
    }

    /** The same entry carrying another W3C trace context (the span its later hand-over continues). */
    public InboxEntry withTraceparent(String traceparent) {
        return new InboxEntry(messageId, mqttTopic, payload, contentType, acceptedAt, expiresAt, size, collapseKey, push, traceparent);
    }

    public String toJson() {
        return Json.toString(this);
    }

    public static InboxEntry fromJson(String json) {
        return Json.fromString(json, InboxEntry.class);
    }
}
