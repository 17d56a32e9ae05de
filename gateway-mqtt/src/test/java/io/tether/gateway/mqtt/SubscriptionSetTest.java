package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;

class SubscriptionSetTest {

    @Test
    void aSecondSubscribeToAFilterOnlyChangesItsQos() {
        SubscriptionSet set = new SubscriptionSet("dev-1");
        set.add("devices/dev-1/messages", MqttQoS.AT_LEAST_ONCE);
        set.add("news/#", MqttQoS.AT_MOST_ONCE);
        set.add("alerts/+", MqttQoS.AT_LEAST_ONCE);
        set.add("devices/dev-1/messages", MqttQoS.AT_MOST_ONCE);
        assertEquals(3, set.size());
        assertEquals(0, set.qos("devices/dev-1/messages"));
        assertTrue(set.contains("news/#"));
        assertFalse(set.contains("news/+"));
    }

    @Test
    void removingAFilterKeepsTheOthersAndRemovingAnUnknownOneChangesNothing() {
        SubscriptionSet set = new SubscriptionSet("dev-1");
        set.add("a", MqttQoS.AT_MOST_ONCE);
        set.add("b", MqttQoS.AT_LEAST_ONCE);
        set.add("c", MqttQoS.AT_MOST_ONCE);
        set.remove("b");
        set.remove("zzz");
        assertEquals(2, set.size());
        assertEquals(-1, set.qos("b"));
        assertEquals(0, set.qos("a"));
        assertEquals(0, set.qos("c"));
        set.remove("a");
        set.remove("c");
        assertEquals(0, set.size());
        assertFalse(set.matches("a"));
        set.add("d", MqttQoS.AT_LEAST_ONCE);
        set.add("e", MqttQoS.AT_MOST_ONCE);
        assertEquals(2, set.size());
        assertEquals(1, set.qos("d"));
        assertEquals(0, set.qos("e"));
    }

    @Test
    void aTopicGetsTheHighestQosOfTheFiltersMatchingIt() {
        SubscriptionSet set = new SubscriptionSet("dev-1");
        set.add("devices/dev-1/#", MqttQoS.AT_MOST_ONCE);
        set.add("devices/dev-1/messages", MqttQoS.AT_LEAST_ONCE);
        assertEquals(1, set.qos("devices/dev-1/messages"));
        assertEquals(0, set.qos("devices/dev-1/other"));
        assertEquals(-1, set.qos("devices/dev-2/messages"));
        assertTrue(set.matches("devices/dev-1/other"));
        assertFalse(set.matches("elsewhere"));
    }

    @Test
    void theConnectionReceivesOnceAFilterReachesIntoItsOwnNamespaceOrCoversItsMessagesTopic() {
        SubscriptionSet set = new SubscriptionSet("dev-1");
        assertFalse(set.receives());
        set.add("news/#", MqttQoS.AT_LEAST_ONCE);
        set.add("devices/dev-10/messages", MqttQoS.AT_LEAST_ONCE);
        assertFalse(set.receives(), "another device's namespace, even one whose id starts with this one's");
        set.add("devices/dev-1/settings", MqttQoS.AT_LEAST_ONCE);
        assertTrue(set.receives());

        SubscriptionSet wildcard = new SubscriptionSet("dev-1");
        wildcard.add("devices/+/messages", MqttQoS.AT_LEAST_ONCE);
        assertTrue(wildcard.receives(), "a wildcard covering devices/dev-1/messages");
    }
}
