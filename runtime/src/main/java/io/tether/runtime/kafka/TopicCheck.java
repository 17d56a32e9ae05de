package io.tether.runtime.kafka;

import java.util.ArrayList;
import java.util.List;

/** Compares one existing topic with the configured {@link TopicLayout}. */
final class TopicCheck {
    private TopicCheck() {
    }

    /**
     * @param minInsyncReplicas the topic's {@code min.insync.replicas}, or -1 when unknown
     * @return what differs, in words naming the topic and both values; empty when it matches
     */
    static List<String> mismatches(String topic, TopicLayout layout, int partitions, int replicas, int minInsyncReplicas) {
        List<String> out = new ArrayList<>();
        if (partitions != layout.partitions()) {
            out.add(topic + " has " + partitions + " partitions, configured " + layout.partitions());
        }
        if (replicas != layout.replicationFactor()) {
            out.add(topic + " has replication factor " + replicas + ", configured " + layout.replicationFactor());
        }
        if (minInsyncReplicas >= 0 && minInsyncReplicas != layout.minInsyncReplicas()) {
            out.add(topic + " has min.insync.replicas " + minInsyncReplicas + ", configured " + layout.minInsyncReplicas());
        }
        return out;
    }
}
