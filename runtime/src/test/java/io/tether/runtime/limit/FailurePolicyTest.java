package io.tether.runtime.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailurePolicyTest {
    private static final Duration WINDOW = Duration.ofMinutes(10);

    @Test
    void freeFailuresCostNothingThenTheWaitDoublesUpToItsMaximum() {
        FailurePolicy policy = new FailurePolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(5), 0, Duration.ZERO, WINDOW);
        assertEquals(Duration.ZERO, policy.waitAfter(1));
        assertEquals(Duration.ZERO, policy.waitAfter(3));
        assertEquals(Duration.ofSeconds(1), policy.waitAfter(4));
        assertEquals(Duration.ofSeconds(2), policy.waitAfter(5));
        assertEquals(Duration.ofSeconds(4), policy.waitAfter(6));
        assertEquals(Duration.ofSeconds(5), policy.waitAfter(7));
        assertEquals(Duration.ofSeconds(5), policy.waitAfter(1_000_000));
    }

    @Test
    void withoutABanTheScheduleEndsAtTheFirstLongestWaitWhichThenRepeats() {
        FailurePolicy policy = new FailurePolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(4), 0, Duration.ZERO, WINDOW);
        assertEquals(List.of("0", "0", "1000", "2000", "4000"), policy.schedule());
    }

    @Test
    void withABanTheScheduleHasOneWaitPerFailureBeforeIt() {
        FailurePolicy policy = new FailurePolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(2), 5, Duration.ofMinutes(15), WINDOW);
        assertEquals(List.of("0", "0", "1000", "2000", "2000"), policy.schedule());
    }

    @Test
    void aBanMustComeAfterTheFreeFailuresAndLastSomeTime() {
        assertThrows(IllegalArgumentException.class,
                () -> new FailurePolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(2), 5, Duration.ofMinutes(1), WINDOW));
        assertThrows(IllegalArgumentException.class,
                () -> new FailurePolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(2), 10, Duration.ZERO, WINDOW));
        assertThrows(IllegalArgumentException.class,
                () -> new FailurePolicy(5, Duration.ofSeconds(2), Duration.ofSeconds(1), 0, Duration.ZERO, WINDOW));
    }
}
