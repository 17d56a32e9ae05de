package io.tether.runtime.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed while records finish out of order: per partition, everything below the lowest
 * offset still being handled. Used by the consumer thread only; {@link Progress#finished} may be called from
 * any thread.
 */
public final class OffsetTracker {
    private final Map<TopicPartition, Progress> partitions = new HashMap<>();

    /** One partition's records in hand. A record's completion holds on to its Progress, so a forgotten partition's late completions change nothing. */
    public static final class Progress {
        private final ConcurrentSkipListSet<Long> pending = new ConcurrentSkipListSet<>();
        private volatile long next = -1;
        private long committed = -1;

        /** Consumer thread, in offset order. */
        public void started(long offset) {
            pending.add(offset);
            next = offset + 1;
        }

        public void finished(long offset) {
            pending.remove(offset);
        }

        /** The lowest offset still in hand, or the one after the last started; -1 before any. */
        public long commitPoint() {
            // Only the consumer thread adds, so an empty set here means every started offset finished.
            Long lowest = pending.ceiling(0L);
            return lowest != null ? lowest : next;
        }

        public int pending() {
            return pending.size();
        }
    }

    public Progress progress(TopicPartition partition) {
        return partitions.computeIfAbsent(partition, p -> new Progress());
    }

    /** Offsets to commit for these partitions: those whose commit point moved since the last commit. */
    public Map<TopicPartition, OffsetAndMetadata> due(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
        for (TopicPartition partition : which) {
            Progress progress = partitions.get(partition);
            if (progress != null) {
                long point = progress.commitPoint();
                if (point > progress.committed) {
                    due.put(partition, new OffsetAndMetadata(point));
                }
            }
        }
        return due;
    }

    public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            Progress progress = partitions.get(partition);
            if (progress != null) {
                progress.committed = offset.offset();
            }
        });
    }

    /** Records in hand of these partitions. */
    public int pending(Collection<TopicPartition> which) {
        int pending = 0;
        for (TopicPartition partition : which) {
            Progress progress = partitions.get(partition);
            pending += progress == null ? 0 : progress.pending();
        }
        return pending;
    }

    /** The partitions went to another member: what is still in hand here will be redone there. */
    public void forget(Collection<TopicPartition> which) {
        which.forEach(partitions::remove);
    }
}
