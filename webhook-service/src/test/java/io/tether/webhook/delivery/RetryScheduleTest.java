package io.tether.webhook.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    private static final long NOW = 1_000_000_000L;
    /** No jitter: the random source sits in the middle (×1.0). */
    private final RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(24), () -> 0.5);

    @Test
    void backoffDoublesFromTheInitialDelayUpToTheMaximum() {
        assertEquals(NOW + 5_000, schedule.nextAttemptAt(1, NOW, NOW));
        assertEquals(NOW + 10_000, schedule.nextAttemptAt(2, NOW, NOW));
        assertEquals(NOW + 20_000, schedule.nextAttemptAt(3, NOW, NOW));
        assertEquals(NOW + 3_600_000, schedule.nextAttemptAt(12, NOW, NOW));
        assertEquals(NOW + 3_600_000, schedule.nextAttemptAt(1000, NOW, NOW));
    }

    @Test
    void givesUpOnceTheGiveUpTimeHasPassedSinceTheFirstFailure() {
        long first = NOW - Duration.ofHours(24).toMillis();
        assertEquals(-1, schedule.nextAttemptAt(30, first, NOW));
        assertEquals(NOW + 3_600_000, schedule.nextAttemptAt(30, first + 1, NOW));
    }

    @Test
    void jitterStaysWithinTwentyPercent() {
        RetrySchedule low = new RetrySchedule(Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofHours(24), () -> 0.0);
        RetrySchedule high = new RetrySchedule(Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofHours(24), () -> 1.0);
        assertEquals(NOW + 8_000, low.nextAttemptAt(1, NOW, NOW));
        assertEquals(NOW + 12_000, high.nextAttemptAt(1, NOW, NOW));
    }
}
