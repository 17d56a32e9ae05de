package io.tether.webhook.delivery;

import io.tether.contract.Json;

/**
 * One event waiting in a webhook's queue for one device, stored as JSON in a Redis list. The body is what the
 * receiver gets (the event as JSON); its signature is made at each attempt, with that attempt's time.
 */
public record QueueEntry(String eventId, String type, String deviceId, String body) {

    public String toJson() {
        return Json.toString(this);
    }

    public static QueueEntry fromJson(String json) {
        return Json.fromString(json, QueueEntry.class);
    }
}
