package io.tether.gateway.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrainPlanTest {

    @Test
    void spreadsConnectionsEvenlyOverTheWindowStartingAtOnce() {
        DrainPlan plan = new DrainPlan(500, Duration.ofSeconds(5));
        assertEquals(1, plan.dueBy(Duration.ZERO), "the first leaves at once");
        assertEquals(Duration.ofMillis(10), plan.spacing());
        assertEquals(250, plan.dueBy(Duration.ofMillis(2_490)));
        assertEquals(251, plan.dueBy(Duration.ofMillis(2_500)));
        assertEquals(500, plan.dueBy(Duration.ofMillis(4_990)), "the last is due one slot before the window ends");
        assertEquals(500, plan.dueBy(Duration.ofSeconds(60)));
    }

    @Test
    void neverGoesBackwardsAndNeverExceedsTheConnections() {
        DrainPlan plan = new DrainPlan(7, Duration.ofMillis(1_000));
        int previous = 0;
        for (long t = 0; t <= 1_200; t += 13) {
            int due = plan.dueBy(Duration.ofMillis(t));
            assertTrue(due >= previous && due <= 7, "at " + t + " ms: " + due);
            previous = due;
        }
        assertEquals(7, previous);
    }

    @Test
    void zeroWindowDrainsEverythingAtOnceAndNoConnectionsMeansNothingToDo() {
        assertEquals(42, new DrainPlan(42, Duration.ZERO).dueBy(Duration.ZERO));
        assertEquals(0, new DrainPlan(0, Duration.ofSeconds(20)).dueBy(Duration.ofSeconds(1)));
        assertEquals(Duration.ZERO, new DrainPlan(0, Duration.ofSeconds(20)).spacing());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new DrainPlan(-1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new DrainPlan(1, Duration.ofSeconds(-1)));
    }
}
