package io.tether.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaRequestsTest {
    @Test
    void theDeltaKeepsTheApisCalledInBetween() {
        Map<String, Long> before = Map.of("Produce", 100L, "Fetch", 40L, "Heartbeat", 7L);
        Map<String, Long> after = Map.of("Produce", 160L, "Fetch", 90L, "Heartbeat", 7L, "OffsetCommit", 3L);
        assertEquals(Map.of("Produce", 60L, "Fetch", 50L, "OffsetCommit", 3L), KafkaRequests.delta(before, after));
    }

    @Test
    void anUnreadableSnapshotOnEitherSideGivesNoDelta() {
        assertEquals(Map.of(), KafkaRequests.delta(Map.of(), Map.of("Produce", 5L)));
        assertEquals(Map.of(), KafkaRequests.delta(Map.of("Produce", 5L), Map.of()));
    }

    @Test
    void aJvmThatCannotBeAttachedReadsAsEmpty() {
        try (KafkaRequests none = KafkaRequests.attach(Long.MAX_VALUE)) {
            assertEquals(Map.of(), none.snapshot());
        }
    }
}
