package io.tether.fanout.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tether.contract.Json;
import io.tether.contract.PresenceEvent;
import io.tether.contract.TetherEvent;
import io.tether.contract.Topics;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The presence event for backends carries the state and app state it is given: it reads nothing itself. */
class KafkaStatusEventsTest {

    @Test
    void aPresenceEventCarriesTheStateAndAppStateTheInboxScriptAnswered() {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        KafkaStatusEvents events = new KafkaStatusEvents(producer, () -> 0L);

        events.presence(new PresenceEvent("d1", "gw-a", 7, PresenceEvent.Kind.BACKGROUND, null, 5_000), "BACKGROUND", "background", null)
                .toCompletableFuture().join();

        ProducerRecord<String, byte[]> record = producer.history().get(0);
        assertEquals(Topics.EVENTS, record.topic());
        assertEquals("d1", record.key());
        TetherEvent written = Json.fromBytes(record.value(), TetherEvent.class);
        assertEquals(TetherEvent.presence("d1", "BACKGROUND", "background", 5_000, "gw-a", 7), written);
        assertNull(written.data().appId(), "webhook-service adds the app of a device that exists");
    }

    @Test
    void aDeletedDevicesLastPresenceEventNamesItsApp() {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        KafkaStatusEvents events = new KafkaStatusEvents(producer, () -> 0L);

        events.presence(new PresenceEvent("d1", "gw-a", 7, PresenceEvent.Kind.DISCONNECTED, "revoked", 5_000), "OFFLINE", "foreground",
                "com.example.app").toCompletableFuture().join();

        TetherEvent written = Json.fromBytes(producer.history().get(0).value(), TetherEvent.class);
        assertEquals(TetherEvent.presence("d1", "OFFLINE", "foreground", 5_000, "gw-a", 7).withAppId("com.example.app"), written,
                "the same event (and id) as for a device that exists, with the app its record no longer gives");
    }
}
