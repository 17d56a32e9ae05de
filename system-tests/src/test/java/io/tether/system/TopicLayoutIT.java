package io.tether.system;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testkit.KafkaBroker;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One topic layout (tether.kafka.topics.*) for every service, checked at start against the topics that exist: a gateway
 * configured with another partition count than the topics fanout created refuses to start, naming both values,
 * instead of running with presence and receipts partitioned differently from fanout's per-device topics.
 */
class TopicLayoutIT {

    @Test
    void aGatewayWithAnotherPartitionCountThanFanoutsTopicsRefusesToStartNamingBoth() {
        TetherStack stack = TetherStack.shared(); // fanout created the topics with KafkaBroker.PARTITIONS
        int other = KafkaBroker.PARTITIONS + 2;

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> stack.startGateway("gw-layout", Map.of("tether.kafka.topics.partitions", Integer.toString(other))));

        String expected = "tether.presence has " + KafkaBroker.PARTITIONS + " partitions, configured " + other;
        assertTrue(refused.getMessage().contains(expected), "the start-up error names both values; got:\n" + refused.getMessage());
    }
}
