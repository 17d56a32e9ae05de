package io.tether.runtime.kafka;

import io.tether.contract.Topics;
import java.util.List;

/**
 * How Tether's topics are laid out, one setting for every service. The per-device topics (downstream, presence,
 * receipts) must share one partition count: partition {@code p} of each holds the same devices, so one fanout
 * consumer owns everything about a device.
 *
 * @param partitions        partitions of every Tether topic
 * @param replicationFactor replicas of every partition (3 in production)
 * @param minInsyncReplicas replicas that must have a record before {@code acks=all} answers (2 in production)
 */
public record TopicLayout(int partitions, short replicationFactor, int minInsyncReplicas) {
    /** Topics that must be co-partitioned: fanout reads them as one stream per device. */
    public static final List<String> PER_DEVICE = List.of(Topics.DOWNSTREAM, Topics.PRESENCE, Topics.RECEIPTS);

    public TopicLayout {
        if (partitions < 1 || replicationFactor < 1 || minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("topic layout needs partitions >= 1 and 1 <= min.insync.replicas <= replication "
                    + "factor; got partitions " + partitions + ", replication factor " + replicationFactor
                    + ", min.insync.replicas " + minInsyncReplicas);
        }
    }
}
