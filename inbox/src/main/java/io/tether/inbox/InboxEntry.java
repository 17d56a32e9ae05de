package io.tether.inbox;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tether.contract.Json;

/**
 * A message as it waits in a device's inbox and as it is handed to a gateway (JSON). In Redis it is stored behind a
 * short header the scripts read instead of the JSON ({@link #stored()}).
 *
 * @param mqttTopic  {@code devices/<id>/<subtopic>} it is delivered on
 * @param expiresAt  epoch millis after which it is not delivered
 * @param size       payload bytes (the inbox bound counts them)
 * @param push       push options as JSON text, or null for a data-only message
 * @param traceparent W3C trace context its hand-overs continue, or null
 */
public record InboxEntry(String messageId, String mqttTopic, byte[] payload, String contentType, long acceptedAt,
        long expiresAt, int size, String collapseKey, String push, String traceparent) {

    /** The same entry carrying another W3C trace context (the span its later hand-over continues). */
    public InboxEntry withTraceparent(String traceparent) {
        return new InboxEntry(messageId, mqttTopic, payload, contentType, acceptedAt, expiresAt, size, collapseKey, push, traceparent);
    }

    @JsonIgnore
    public boolean hasPushOptions() {
        return push != null;
    }

    public boolean isExpired(long nowMillis) {
        return expiresAt > 0 && nowMillis >= expiresAt;
    }

    public String toJson() {
        return Json.toString(this);
    }

    public static InboxEntry fromJson(String json) {
        return Json.fromString(json, InboxEntry.class);
    }

    /** How the inbox stores it: {@code v1|<expiresAt>|<size>|<1 with push options, else 0>|<JSON>} (see lib.lua). */
    @JsonIgnore
    public String stored() {
        return "v1|" + expiresAt + "|" + size + "|" + (hasPushOptions() ? 1 : 0) + "|" + toJson();
    }
}
