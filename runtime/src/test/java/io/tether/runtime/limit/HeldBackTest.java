package io.tether.runtime.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeldBackTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final FailurePolicy policy = new FailurePolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(8), 4, Duration.ofMinutes(15),
            Duration.ofMinutes(10));
    private final HeldBack held = new HeldBack(policy, now::get);

    @Test
    void failuresCountedHereHoldTheSourceBackAtOnce() {
        held.countHere("10.0.0.1");
        held.countHere("10.0.0.1");
        assertTrue(held.waiting("10.0.0.1").isEmpty(), "two failures are free");

        held.countHere("10.0.0.1");

        assertEquals(now.get() + 1000, held.waiting("10.0.0.1").orElseThrow().blockedUntil());
        assertTrue(held.waiting("10.0.0.2").isEmpty(), "another source is not held back");
    }

    @Test
    void beyondBanAfterTheSourceIsBanned() {
        for (int i = 0; i < 5; i++) {
            held.countHere("10.0.0.1");
        }
        Standing standing = held.waiting("10.0.0.1").orElseThrow();
        assertTrue(standing.bannedAt(now.get()));
        assertEquals(now.get() + Duration.ofMinutes(15).toMillis(), standing.bannedUntil());
    }

    @Test
    void theSharedCountFromRedisHoldsBackASourceThatDidNotFailHere() {
        held.learn("10.0.0.1", new Standing(7, now.get() + 8000, 0));
        assertEquals(now.get() + 8000, held.waiting("10.0.0.1").orElseThrow().blockedUntil());

        now.addAndGet(8001);

        assertTrue(held.waiting("10.0.0.1").isEmpty(), "the wait is over");
    }

    @Test
    void theLongerOfTheLocalAndSharedWaitsHolds() {
        for (int i = 0; i < 4; i++) {
            held.countHere("10.0.0.1"); // locally: 2 s
        }
        held.learn("10.0.0.1", new Standing(3, now.get() + 1000, 0)); // Redis answered for an earlier failure

        assertEquals(now.get() + 2000, held.waiting("10.0.0.1").orElseThrow().blockedUntil());
    }

    @Test
    void localFailuresOlderThanTheWindowAreForgotten() {
        for (int i = 0; i < 3; i++) {
            held.countHere("10.0.0.1");
        }
        now.addAndGet(Duration.ofMinutes(11).toMillis());

        held.countHere("10.0.0.1");

        assertTrue(held.waiting("10.0.0.1").isEmpty(), "a failure after the window is the first again");
    }
}
