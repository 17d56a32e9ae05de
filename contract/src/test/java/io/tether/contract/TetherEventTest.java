package io.tether.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class TetherEventTest {

    @Test
    void aStatusEventWrittenTwiceHasOneIdAndADifferentChangeAnother() {
        TetherEvent first = TetherEvent.status("d1", "m1", "delivered", null, "live", 1_000);
        TetherEvent again = TetherEvent.status("d1", "m1", "delivered", null, "live", 2_000);
        assertEquals(first.id(), again.id(), "a retried write is recognisable");
        assertNotEquals(first.id(), TetherEvent.status("d1", "m1", "expired", "ttl", null, 1_000).id());
        assertNotEquals(first.id(), TetherEvent.status("d2", "m1", "delivered", null, "live", 1_000).id());
        assertTrue(first.id().matches("evt_[0-9a-f]{32}"));
    }

    @Test
    void presenceEventsCarryTheEpochAsVersionAndDifferPerChange() {
        TetherEvent live = TetherEvent.presence("d1", "LIVE", "foreground", 5_000, "gw-a", 42);
        assertEquals(42L, live.data().epoch());
        assertEquals(5_000L, live.data().since());
        assertEquals("1970-01-01T00:00:05Z", live.timestamp());
        assertNotEquals(live.id(), TetherEvent.presence("d1", "LIVE", "foreground", 9_000, "gw-a", 42).id(),
                "LIVE again later in the same connection is another change");
        assertNotEquals(live.id(), TetherEvent.presence("d1", "SUSPECT", "foreground", 5_000, "gw-a", 42).id());
    }

    @Test
    void onKafkaAnEventIsKeyedByDeviceWithItsIdAndTypeInHeaders() {
        TetherEvent event = TetherEvent.status("d1", "m1", "queued", null, "inbox", 1);
        ProducerRecord<String, byte[]> record = EventRecords.of(event);
        assertEquals(Topics.EVENTS, record.topic());
        assertEquals("d1", record.key());
        assertEquals(event.id(), KafkaHeaders.require(record.headers(), Headers.EVENT_ID));
        assertEquals(TetherEvent.MESSAGE_STATUS, KafkaHeaders.require(record.headers(), Headers.EVENT_TYPE));
        assertEquals(event, Json.fromBytes(record.value(), TetherEvent.class));
        assertFalse(new String(record.value(), java.nio.charset.StandardCharsets.UTF_8).contains("appId"), "added by webhook-service only");
    }

    @Test
    void topicsMatchFiltersByWholeLevelsAndBackendsSendOnlyToPlainTopics() {
        assertTrue(MqttTopics.matches("news/#", "news/sports"));
        assertTrue(MqttTopics.matches("news/+", "news/sports"));
        assertFalse(MqttTopics.matches("news/+", "news/sports/live"));
        assertFalse(MqttTopics.matches("#", "$SYS/x"));
        assertTrue(MqttTopics.isSendableTopic("news/sports"));
        assertFalse(MqttTopics.isSendableTopic("news/#"));
        assertFalse(MqttTopics.isSendableTopic("devices/d1/messages"));
        assertFalse(MqttTopics.isSendableTopic("$tether/lifecycle"));
        assertEquals("app:com.a", new Target(null, null, null, null, "com.a").partitionKey());
    }
}
