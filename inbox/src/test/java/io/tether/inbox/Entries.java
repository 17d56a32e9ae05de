package io.tether.inbox;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Inbox entries for the tests. Time is the tests' own clock (what the scripts get as "now"), starting at {@link #T0},
 * so an entry expires exactly when a test moves the clock past it.
 */
final class Entries {
    static final long T0 = 1_700_000_000_000L;
    static final long HOUR = 3_600_000;
    static final String ALERT = "{\"alert\":{\"title\":\"hi\"}}";

    private Entries() {
    }

    /** A data-only message (no push options) of a few bytes, valid for an hour after {@link #T0}. */
    static InboxEntry data(String deviceId, String messageId) {
        return entry(deviceId, messageId, "data-" + messageId, T0 + HOUR, null);
    }

    /** A message with push options (an alert), valid for an hour after {@link #T0}. */
    static InboxEntry alert(String deviceId, String messageId) {
        return entry(deviceId, messageId, "alert-" + messageId, T0 + HOUR, ALERT);
    }

    static InboxEntry entry(String deviceId, String messageId, String payload, long expiresAt, String push) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return new InboxEntry(messageId, "devices/" + deviceId + "/messages", bytes, "text/plain", T0, expiresAt, bytes.length,
                null, push, null);
    }

    static List<String> ids(List<InboxEntry> entries) {
        return entries.stream().map(InboxEntry::messageId).toList();
    }
}
