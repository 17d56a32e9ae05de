package io.tether.runtime.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration INITIAL = Duration.ofMillis(500);
    private static final Duration MAX = Duration.ofSeconds(30);

    @Test
    void doublesPerAttemptUpToTheMaximum() {
        Backoff highest = new Backoff(INITIAL, MAX, () -> 0.999_999);
        assertEquals(499, highest.delay(1).toMillis());
        assertEquals(999, highest.delay(2).toMillis());
        assertEquals(1999, highest.delay(3).toMillis());
        assertEquals(29_999, highest.delay(8).toMillis());
        assertEquals(29_999, highest.delay(1000).toMillis());
    }

    @Test
    void jitterKeepsAtLeastHalfTheDelay() {
        Backoff lowest = new Backoff(INITIAL, MAX, () -> 0.0);
        assertEquals(250, lowest.delay(1).toMillis());
        assertEquals(500, lowest.delay(2).toMillis());
        assertEquals(15_000, lowest.delay(50).toMillis());
    }

    @Test
    void initialMustBePositiveAndAtMostTheMaximum() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, MAX, () -> 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(MAX, INITIAL, () -> 0.5));
    }
}
