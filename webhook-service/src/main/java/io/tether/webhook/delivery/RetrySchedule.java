package io.tether.webhook.delivery;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: after {@code initial}, doubling each time up to {@code max} (±20 % jitter, so
 * receivers coming back are not hit by every sender at once), until {@code giveUpAfter} has passed since the first
 * failure; then the event is a dead letter and the device's next event goes. With the defaults (5 s, 1 h, 24 h) an
 * event is tried about 30 times over a day.
 */
public final class RetrySchedule {
    private final long initialMillis;
    private final long maxMillis;
    private final long giveUpAfterMillis;
    private final DoubleSupplier random;

    public RetrySchedule(Duration initial, Duration max, Duration giveUpAfter, DoubleSupplier random) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.giveUpAfterMillis = giveUpAfter.toMillis();
        this.random = random;
    }

    /**
     * @param failures       failed attempts so far, this one included (1 after the first failure)
     * @param firstFailureAt epoch millis of the first failure
     * @return epoch millis of the next attempt, or -1: give up
     */
    public long nextAttemptAt(int failures, long firstFailureAt, long now) {
        if (now - firstFailureAt >= giveUpAfterMillis) {
            return -1;
        }
        int doublings = Math.min(failures - 1, 40);
        long backoff = Math.min(maxMillis, initialMillis * (1L << Math.min(doublings, 30)));
        long jittered = Math.round(backoff * (0.8 + 0.4 * random.getAsDouble()));
        return now + Math.max(1, jittered);
    }
}
