package io.tether.rest.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @Test
    void allowsTheBurstThenRefillsAtTheRate() {
        RateLimiter limiter = new RateLimiter(2, 3, clock::get);
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), limiter.tryAcquire("k"));
        }
        Optional<Duration> wait = limiter.tryAcquire("k");
        assertEquals(Optional.of(Duration.ofMillis(500)), wait);

        clock.addAndGet(Duration.ofMillis(500).toNanos());
        assertEquals(Optional.empty(), limiter.tryAcquire("k"));
        assertTrue(limiter.tryAcquire("k").isPresent());
    }

    @Test
    void callersHaveTheirOwnBuckets() {
        RateLimiter limiter = new RateLimiter(1, 1, clock::get);
        assertEquals(Optional.empty(), limiter.tryAcquire("a"));
        assertTrue(limiter.tryAcquire("a").isPresent());
        assertEquals(Optional.empty(), limiter.tryAcquire("b"));
    }

    @Test
    void neverHoldsMoreThanTheBurst() {
        RateLimiter limiter = new RateLimiter(100, 2, clock::get);
        limiter.tryAcquire("k");
        clock.addAndGet(Duration.ofHours(1).toNanos());
        assertEquals(Optional.empty(), limiter.tryAcquire("k"));
        assertEquals(Optional.empty(), limiter.tryAcquire("k"));
        assertTrue(limiter.tryAcquire("k").isPresent());
    }

    @Test
    void unlimitedAllowsEverythingAndBadSettingsAreRefused() {
        RateLimiter unlimited = RateLimiter.unlimited();
        for (int i = 0; i < 10_000; i++) {
            assertEquals(Optional.empty(), unlimited.tryAcquire("k"));
        }
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, 1, clock::get));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(1, 0, clock::get));
    }
}
