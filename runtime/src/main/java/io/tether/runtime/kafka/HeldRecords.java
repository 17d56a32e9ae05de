package io.tether.runtime.kafka;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Fetched records that could not start yet (their key at its limit, or no permit left), per partition, in offset
 * order. A partition with held records stays paused, so what is held here is at most what one poll brought it. Used by
 * the consumer thread only; not started, so a revoked partition's held records are simply dropped (the new owner
 * fetches them from the committed offset, which is below them).
 */
final class HeldRecords {
    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> held = new HashMap<>();

    boolean holds(TopicPartition partition) {
        return held.containsKey(partition);
    }

    /** Holds these records behind any already held; true if the partition had none (it is to be paused now). */
    boolean hold(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
        boolean first = !held.containsKey(partition);
        held.computeIfAbsent(partition, p -> new ArrayDeque<>()).addAll(records);
        return first;
    }

    /** Starts held records in order while {@code start} accepts them; a partition left with none is no longer held. */
    void startWhile(BiPredicate<TopicPartition, ConsumerRecord<String, byte[]>> start) {
        var partitions = held.entrySet().iterator();
        while (partitions.hasNext()) {
            var entry = partitions.next();
            ArrayDeque<ConsumerRecord<String, byte[]>> waiting = entry.getValue();
            while (!waiting.isEmpty() && start.test(entry.getKey(), waiting.peekFirst())) {
                waiting.pollFirst();
            }
            if (waiting.isEmpty()) {
                partitions.remove();
            }
        }
    }

    /** The first held record of each partition: what each one waits to start. */
    List<ConsumerRecord<String, byte[]>> heads() {
        return held.values().stream().map(ArrayDeque::peekFirst).toList();
    }

    void forget(Collection<TopicPartition> partitions) {
        held.keySet().removeAll(partitions);
    }
}
