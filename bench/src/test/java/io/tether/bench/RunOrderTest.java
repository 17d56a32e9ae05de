package io.tether.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunOrderTest {
    private static final List<String> SCENARIOS = List.of("1", "2", "3", "4", "5");

    @Test
    void alternatesAcrossScenariosAndFlipsFromOneRunToTheNext() {
        RunOrder run0 = new RunOrder("alternate", 0);
        RunOrder run1 = new RunOrder("alternate", 1);
        assertEquals(List.of(true, false, true, false, true), SCENARIOS.stream().map(run0::tetherFirst).toList());
        assertEquals(List.of(false, true, false, true, false), SCENARIOS.stream().map(run1::tetherFirst).toList());
    }

    @Test
    void aFixedOrderHoldsForEveryScenario() {
        assertTrue(SCENARIOS.stream().allMatch(new RunOrder("tether", 3)::tetherFirst));
        assertFalse(SCENARIOS.stream().anyMatch(new RunOrder("peer", 0)::tetherFirst));
        assertThrows(IllegalArgumentException.class, () -> new RunOrder("random", 0));
    }
}
