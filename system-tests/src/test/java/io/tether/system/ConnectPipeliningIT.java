package io.tether.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testkit.RawMqtt;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client may send packets right after its CONNECT, without waiting for CONNACK (MQTT 3.1.1 and 5.0 §3.1.4); the
 * gateway answers them once the CONNECT is accepted, and processes none of them when it refuses the CONNECT.
 */
class ConnectPipeliningIT {
    private static TetherStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
    }

    @Test
    void packetsSentWithTheConnectAreAnsweredAfterConnack() throws Exception {
        Api.Device device = api.register("ios");
        try (RawMqtt raw = RawMqtt.open(stack.gateway().mqttPort())) {
            raw.write(RawMqtt.connectPacket(device.id(), device.password()), RawMqtt.pingreq(),
                    RawMqtt.subscribe(7, "devices/" + device.id() + "/#"), RawMqtt.pingreq());
            RawMqtt.Packet connack = raw.read();
            assertEquals(RawMqtt.Packet.CONNACK, connack.type());
            assertEquals(0, connack.reasonCode());
            // A SUBACK may follow a later PINGRESP (the subscription is checked and stored first): count, not order.
            List<RawMqtt.Packet> answers = List.of(raw.read(), raw.read(), raw.read());
            assertEquals(2, answers.stream().filter(p -> p.type() == RawMqtt.Packet.PINGRESP).count(), "both PINGREQs answered");
            RawMqtt.Packet suback = answers.stream().filter(p -> p.type() == RawMqtt.Packet.SUBACK).findFirst().orElseThrow();
            assertEquals(7, suback.packetId());
            assertEquals(1, suback.body()[suback.body().length - 1], "granted QoS 1");
            raw.write(RawMqtt.pingreq()); // the connection lives on
            assertEquals(RawMqtt.Packet.PINGRESP, raw.read().type());
        }
    }

    @Test
    void packetsSentWithARefusedConnectAreNotProcessed() throws Exception {
        Api.Device device = api.register("ios");
        try (RawMqtt raw = RawMqtt.open(stack.gateway().mqttPort())) {
            raw.write(RawMqtt.connectPacket(device.id(), "not-the-password"), RawMqtt.pingreq(),
                    RawMqtt.subscribe(7, "devices/" + device.id() + "/#"));
            RawMqtt.Packet connack = raw.read();
            assertEquals(RawMqtt.Packet.CONNACK, connack.type());
            assertEquals(0x87, connack.reasonCode(), "not authorized");
            assertTrue(raw.closedByServer(), "closed with nothing after the CONNACK: no PINGRESP, no SUBACK");
        }
    }
}
