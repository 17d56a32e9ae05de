package io.tether.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContractTest {

    @Test
    void deliverTopicRoundTripsThroughItsName() {
        DeliverTopic topic = new DeliverTopic("gw-1a2b");
        assertEquals("tether.deliver.gw-1a2b", topic.name());
        assertEquals(Optional.of(topic), DeliverTopic.parse(topic.name()));
        assertEquals(Optional.empty(), DeliverTopic.parse("tether.upstream"));
        assertThrows(IllegalArgumentException.class, () -> new DeliverTopic("bad/id"));
    }

    @Test
    void generatedDeviceIdsAreValidAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = DeviceId.random();
            assertEquals(26, id.length());
            assertTrue(DeviceId.isValid(id), id);
            assertTrue(seen.add(id));
        }
    }

    @Test
    void deviceIdsRejectTopicWildcardsSeparatorsAndHashTags() {
        for (String bad : new String[] {"a/b", "a+b", "a#", "{x}", "", "a b"}) {
            assertFalse(DeviceId.isValid(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> RedisKeys.device("a}b"));
    }

    @Test
    void keysOfOneDeviceShareAClusterHashTag() {
        RedisKeys.Device keys = RedisKeys.device("abc");
        for (String key : new String[] {keys.record(), keys.presence(), keys.epoch(), keys.inbox(),
                keys.inboxData(), keys.inboxMeta(), keys.status("msg_1")}) {
            assertTrue(key.contains("{d:abc}"), key);
        }
    }

    @Test
    void presenceEventsSurviveJsonAndIgnoreUnknownFields() {
        PresenceEvent event = new PresenceEvent("dev1", "gw-1", 7, PresenceEvent.Kind.CONNECTED, null, 123L);
        assertEquals(event, Json.fromBytes(Json.toBytes(event), PresenceEvent.class));
        String newer = "{\"deviceId\":\"dev1\",\"gatewayId\":\"gw-1\",\"epoch\":7,\"kind\":\"CONNECTED\",\"at\":123,\"future\":1}";
        assertEquals(event, Json.fromString(newer, PresenceEvent.class));
    }

    @Test
    void malformedJsonIsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Json.fromString("{\"deviceId\":\"a/b\"}", PresenceEvent.class));
        assertThrows(IllegalArgumentException.class, () -> Json.fromString("not json", Receipt.class));
    }
}
