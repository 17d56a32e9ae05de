package io.tether.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    /** Kafka checks group.instance.id when the consumer is built (no broker needed); a pod name plus client id must pass. */
    @Test
    void aStaticMemberIdBuiltFromAPodNameIsAcceptedByTheKafkaClient() {
        KafkaClients clients = new KafkaClients("127.0.0.1:1", Map.of(), Map.of(), Map.of(), "fanout-7d9f-x2k");
        assertDoesNotThrow(() -> {
            try (Consumer<String, byte[]> c = clients.groupConsumer("tether-fanout", "tether-fanout-routing", 10)) {
                // constructed
            }
        });
    }

    @Test
    void aDurableProducerLingersFiveMillisecondsUnlessTheOperatorSaysOtherwise() {
        assertEquals(5, new KafkaClients("127.0.0.1:1", Map.of(), Map.of(), Map.of()).durableSettings("p", KafkaClients.LINGER)
                .get("linger.ms"));
        assertEquals("1", new KafkaClients("127.0.0.1:1", Map.of(), Map.of("linger.ms", "1"), Map.of())
                .durableSettings("p", KafkaClients.LINGER).get("linger.ms"));
    }

    @Test
    void aLingeringProducerKeepsTheDurabilityGuaranteesAndOperatorsMayStillSetItsLinger() {
        KafkaClients clients = new KafkaClients("127.0.0.1:1", Map.of(), Map.of("acks", "1", "enable.idempotence", "false"), Map.of());
        Map<String, Object> events = clients.durableSettings("events", Duration.ofMillis(20));
        assertEquals(20, events.get("linger.ms"));
        assertEquals("all", events.get("acks"));
        assertEquals(true, events.get("enable.idempotence"));

        KafkaClients tuned = new KafkaClients("127.0.0.1:1", Map.of(), Map.of("linger.ms", "5"), Map.of());
        assertEquals("5", tuned.durableSettings("events", Duration.ofMillis(20)).get("linger.ms"));
    }
}
