package io.tether.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void commitsUpToTheLowestRecordStillInHand() {
        OffsetTracker.Progress progress = tracker.progress(P0);
        progress.started(10);
        progress.started(11);
        progress.started(12);
        progress.finished(11);
        progress.finished(12);
        assertEquals(Map.of(P0, new OffsetAndMetadata(10)), tracker.due(List.of(P0)), "10 is still in hand");
        progress.finished(10);
        assertEquals(Map.of(P0, new OffsetAndMetadata(13)), tracker.due(List.of(P0)));
    }

    @Test
    void nothingIsDueTwice() {
        OffsetTracker.Progress progress = tracker.progress(P0);
        progress.started(0);
        progress.finished(0);
        Map<TopicPartition, OffsetAndMetadata> due = tracker.due(List.of(P0));
        tracker.committed(due);
        assertTrue(tracker.due(List.of(P0)).isEmpty());
    }

    @Test
    void aForgottenPartitionIsNotCommittedByLateCompletions() {
        OffsetTracker.Progress old = tracker.progress(P0);
        old.started(5);
        tracker.forget(List.of(P0));
        old.finished(5);
        assertTrue(tracker.due(List.of(P0)).isEmpty());
        OffsetTracker.Progress fresh = tracker.progress(P0);
        fresh.started(5);
        assertEquals(Map.of(P0, new OffsetAndMetadata(5)), tracker.due(List.of(P0)), "the new owner's record 5 is still in hand");
    }
}
