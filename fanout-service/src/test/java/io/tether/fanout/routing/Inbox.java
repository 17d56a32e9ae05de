package io.tether.fanout.routing;

import static io.tether.fanout.routing.TestRedis.join;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Inbox entries for the tests, and what to read back from the queue's answers. */
final class Inbox {
    static final long HOUR = 3_600_000;
    static final String ALERT = "{\"alert\":{\"title\":\"hi\"}}";

    private Inbox() {
    }

    /** A data-only message (no push options) of a few bytes, valid for an hour. */
    static InboxEntry data(String deviceId, String messageId) {
        return entry(deviceId, messageId, "data-" + messageId, System.currentTimeMillis() + HOUR, null);
    }

    /** A message with push options (an alert), valid for an hour. */
    static InboxEntry alert(String deviceId, String messageId) {
        return entry(deviceId, messageId, "alert-" + messageId, System.currentTimeMillis() + HOUR, ALERT);
    }

    static InboxEntry entry(String deviceId, String messageId, String payload, long expiresAt, String push) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis();
        return new InboxEntry(messageId, "devices/" + deviceId + "/messages", bytes, "text/plain", now, expiresAt, bytes.length,
                null, push, null);
    }

    /** Enqueues data-only messages and checks each was queued. */
    static void enqueue(DeviceQueue queue, String deviceId, String... messageIds) {
        for (String id : messageIds) {
            assertEquals("queued", join(queue.enqueue(deviceId, data(deviceId, id), 3_600)), id);
        }
    }

    static List<String> ids(DeviceQueue.Dispatch dispatch) {
        return dispatch.entries().stream().map(InboxEntry::messageId).toList();
    }

    static List<String> ids(DeviceQueue.Fallback fallback) {
        return fallback.entries().stream().map(InboxEntry::messageId).toList();
    }
}
