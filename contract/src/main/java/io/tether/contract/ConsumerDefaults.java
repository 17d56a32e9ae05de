package io.tether.contract;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** Consumer settings every Tether service wants for the same reasons; each service adds its own around them. */
public final class ConsumerDefaults {
    private ConsumerDefaults() {
    }

    /**
     * The broker answers a fetch as soon as one byte is there (fetch.min.bytes=1), so the wait only bounds empty
     * fetches: a short one costs latency nothing but turns every idle consumer into ~100 fetches/s of broker CPU.
     */
    public static void fetch(Map<String, Object> props) {
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
    }

    /**
     * For group members: a crashed member keeps its partitions until its session times out, and Kafka's default
     * 45 s would hold every record of those partitions that long after a kill -9 or node loss.
     */
    public static void groupMember(Map<String, Object> props) {
        fetch(props);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
    }
}
