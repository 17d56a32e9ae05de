package io.tether.inbox;

import io.tether.contract.PushRecipient;
import java.util.List;

/** What moving a device's inbox along did (the {@code pump} of lib.lua). */
public sealed interface Pump {

    /**
     * Entries handed to the gateway holding the live connection; {@code expired} were found past their TTL, and
     * {@code expiredIds} are the ones this call settled as expired.
     */
    record Live(int handedOver, int expired, List<String> expiredIds) implements Pump {
        public Live(int handedOver, int expired) {
            this(handedOver, expired, List.of());
        }
    }

    /**
     * Entries to push because the device cannot take them live, not yet recorded as pushed: write the push requests,
     * then {@link DeviceInbox#confirmPush}. {@code considered} counts every entry looked at, taken or not.
     *
     * @param reason    why not live: signal (the app went to the background), deaf, offline
     * @param recipient the device's standard token as the script read it (for the push requests); null when not read
     */
    record Push(String reason, String previousCursor, String cursor, String lastNudgeAt, int considered,
            List<InboxEntry> entries, PushRecipient recipient) implements Pump {
        /** Without a recipient (push-service reads the registry). */
        public Push(String reason, String previousCursor, String cursor, String lastNudgeAt, int considered,
                List<InboxEntry> entries) {
            this(reason, previousCursor, cursor, lastNudgeAt, considered, entries, null);
        }

        /** True when the batch limit stopped the scan: more entries may wait behind it. */
        public boolean isFullBatch() {
            return considered >= InboxSettings.PUSH_BATCH;
        }
    }

    /** Nothing to hand over or push now ({@code why}: not-receiving, policy, no-push-token, nothing-to-push). */
    record Hold(String why) implements Pump {
    }

    /** The strings of a script's reply from {@code from} to its end (ids the scripts append after their counts). */
    static List<String> strings(List<Object> reply, int from) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = from; i < reply.size(); i++) {
            out.add((String) reply.get(i));
        }
        return List.copyOf(out);
    }

    /**
     * The device record's fields a push reply carries at {@code at}: token, environment, app id, platform, token
     * updated at ('' when missing), and the script's time (epoch millis).
     */
    private static PushRecipient recipient(List<Object> reply, int at) {
        return new PushRecipient((String) reply.get(at), orNull(reply.get(at + 1)), orNull(reply.get(at + 2)),
                orNull(reply.get(at + 3)), millis(reply.get(at + 4)), millis(reply.get(at + 5)));
    }

    private static long millis(Object value) {
        try {
            return Long.parseLong((String) value);
        } catch (NumberFormatException e) {
            return 0; // not set (or not a number): unknown
        }
    }

    private static String orNull(Object value) {
        return value == null || ((String) value).isEmpty() ? null : (String) value;
    }

    /** Reads a pump result starting at {@code from} in a script's reply. */
    static Pump read(List<Object> reply, int from) {
        if (reply.size() <= from) {
            return new Hold("unchanged");
        }
        String kind = (String) reply.get(from);
        return switch (kind) {
            case "live" -> new Live(((Long) reply.get(from + 1)).intValue(), ((Long) reply.get(from + 2)).intValue(),
                    strings(reply, from + 3));
            case "push" -> {
                PushRecipient recipient = recipient(reply, from + 2);
                int candidates = from + 8;
                List<InboxEntry> entries = new java.util.ArrayList<>();
                for (int i = candidates + 4; i + 1 < reply.size(); i += 2) {
                    entries.add(InboxEntry.fromJson((String) reply.get(i + 1)));
                }
                yield new Push((String) reply.get(from + 1), (String) reply.get(candidates), (String) reply.get(candidates + 1),
                        (String) reply.get(candidates + 2), ((Long) reply.get(candidates + 3)).intValue(), entries, recipient);
            }
            default -> new Hold((String) reply.get(from + 1));
        };
    }
}
