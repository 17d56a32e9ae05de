package io.tether.inbox;

/**
 * Bounds and timings of every device's inbox.
 *
 * @param maxMessages         bound per device: messages (the oldest not in flight gives way beyond it)
 * @param maxBytes            bound per device: payload bytes
 * @param window              deliveries to one connection awaiting PUBACK at once
 * @param nudgeIntervalMillis data-only messages that fall back to push share one background push per this interval
 * @param openStatusTtlSeconds how long a status that is not final is kept (the longest TTL plus the retention)
 * @param finalStatusTtlSeconds how long a final status is kept
 */
public record InboxSettings(int maxMessages, long maxBytes, int window, long nudgeIntervalMillis, long openStatusTtlSeconds,
        long finalStatusTtlSeconds) {
    /** Entries looked at per push-candidate call; a full batch is followed by another. */
    public static final int PUSH_BATCH = 200;
}
