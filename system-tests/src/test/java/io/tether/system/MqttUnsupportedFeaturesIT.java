package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import io.tether.testkit.RawMqtt;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What CONNACK says the gateway does not support (shared subscriptions, subscription identifiers, topic aliases), and
 * what it answers a client that uses them anyway: MQTT 5.0 makes each a protocol error ended by DISCONNECT with its own
 * reason code. So are a PUBLISH carrying a Subscription Identifier (0x82) and U+0000 in a topic name or filter (a
 * Malformed Packet, 0x81). Stock clients refuse to send such packets, so a raw MQTT 5 client sends them.
 */
class MqttUnsupportedFeaturesIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static TetherStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
    }

    @Test
    void connackDeclaresNoSharedSubscriptionsNoSubscriptionIdentifiersAndNoTopicAliases() {
        Api.Device device = api.register("ios");
        Mqtt5AsyncClient client = MqttSessionsIT.v5(device, stack.gateway().mqttPort(), new LinkedBlockingQueue<>());
        Mqtt5ConnAck ack = MqttSessionsIT.connect(client, device, true, 0);

        assertFalse(ack.getRestrictions().isSharedSubscriptionAvailable());
        assertFalse(ack.getRestrictions().areSubscriptionIdentifiersAvailable());
        assertEquals(0, ack.getRestrictions().getTopicAliasMaximum());
        assertTrue(ack.getRestrictions().isWildcardSubscriptionAvailable());
        client.disconnect().join();
    }

    @Test
    void aSubscribeWithASubscriptionIdentifierEndsTheConnectionWith0xA1() throws Exception {
        Api.Device device = api.register("ios");
        assertDisconnected(device, RawMqtt.subscribe(1, "devices/" + device.id() + "/#", 42), 0xA1);
    }

    @Test
    void aSharedSubscriptionEndsTheConnectionWith0x9E() throws Exception {
        Api.Device device = api.register("ios");
        assertDisconnected(device, RawMqtt.subscribe(1, "$share/group/devices/" + device.id() + "/#"), 0x9E);
    }

    @Test
    void aPublishWithATopicAliasEndsTheConnectionWith0x94() throws Exception {
        Api.Device device = api.register("ios");
        assertDisconnected(device, RawMqtt.publish("devices/" + device.id() + "/telemetry", 1, new byte[] {1}, 1), 0x94);
    }

    @Test
    void aPublishWithASubscriptionIdentifierEndsTheConnectionWith0x82() throws Exception {
        Api.Device device = api.register("ios");
        assertDisconnected(device, RawMqtt.publishWithSubscriptionIdentifier("devices/" + device.id() + "/telemetry", 1,
                new byte[] {1}, 7), 0x82);
    }

    @Test
    void aNulInATopicNameOrFilterIsAMalformedPacketEndedWith0x81() throws Exception {
        Api.Device publisher = api.register("ios");
        assertDisconnected(publisher, RawMqtt.publish("devices/" + publisher.id() + "/a\u0000b", 1, new byte[] {1}), 0x81);
        Api.Device subscriber = api.register("ios");
        assertDisconnected(subscriber, RawMqtt.subscribe(1, "devices/" + subscriber.id() + "/\u0000/#"), 0x81);
    }

    @Test
    void aNulInAWillTopicIsAMalformedConnectRefusedWith0x81() throws Exception {
        Api.Device device = api.register("ios");
        try (RawMqtt raw = RawMqtt.open(stack.gateway().mqttPort())) {
            raw.write(RawMqtt.connectPacketWithWill(device.id(), device.password(), "devices/" + device.id() + "/will\u0000x",
                    new byte[] {1}));
            RawMqtt.Packet answer = raw.read();
            assertEquals(RawMqtt.Packet.CONNACK, answer.type());
            assertEquals(0x81, answer.reasonCode(), "Malformed Packet, not a session");
            assertTrue(raw.closedByServer());
        }
        // The same CONNECT with a will topic without U+0000 is accepted: the refusal is the NUL's alone.
        try (RawMqtt raw = RawMqtt.open(stack.gateway().mqttPort())) {
            raw.write(RawMqtt.connectPacketWithWill(device.id(), device.password(), "devices/" + device.id() + "/will", new byte[] {1}));
            RawMqtt.Packet answer = raw.read();
            assertEquals(RawMqtt.Packet.CONNACK, answer.type());
            assertEquals(0, answer.reasonCode());
        }
    }

    /** The packet ends a fresh connection with DISCONNECT {@code code} and nothing else, and the device goes offline. */
    private static void assertDisconnected(Api.Device device, byte[] packet, int code) throws Exception {
        try (RawMqtt raw = RawMqtt.connect(stack.gateway().mqttPort(), device.id(), device.password())) {
            raw.write(packet);
            RawMqtt.Packet answer = raw.read();
            assertEquals(RawMqtt.Packet.DISCONNECT, answer.type(), "no SUBACK or PUBACK: a protocol error ends the connection");
            assertEquals(code, answer.reasonCode());
            assertTrue(raw.closedByServer());
        }
        await().atMost(DEADLINE).until(() -> "OFFLINE".equals(stack.presence(device.id()).get("state")));
    }
}
