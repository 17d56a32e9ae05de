package io.tether.chaos.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MqttPacketsTest {

    @Test
    void encodesRemainingLengthsAsMqttVariableByteIntegers() {
        assertArrayEquals(new byte[] {0}, MqttPackets.varint(0));
        assertArrayEquals(new byte[] {0x7f}, MqttPackets.varint(127));
        assertArrayEquals(new byte[] {(byte) 0x80, 0x01}, MqttPackets.varint(128));
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, MqttPackets.varint(MqttPackets.MAX_REMAINING_LENGTH));
    }

    @Test
    void buildsTheConnectOfTheSpecification() {
        // MQTT 3.1.1: protocol name, level 4, flags (user, password, clean session), keepalive 60, then the payload.
        byte[] connect = MqttPackets.connect(MqttPackets.V311, "c", "u", "p", 60);
        assertEquals("101300044d51545404c2003c000163000175000170", HexFormat.of().formatHex(connect));
    }

    @Test
    void mqtt5PacketsCarryAPropertyBlock() throws IOException {
        byte[] subscribe = MqttPackets.subscribe(MqttPackets.V5, 7, "a/#", 1);
        MqttPackets.Packet packet = MqttPackets.read(new ByteArrayInputStream(subscribe));
        assertEquals(MqttPackets.SUBSCRIBE, packet.type());
        assertEquals(2, packet.flags());
        // packet id 7, no properties, "a/#", QoS 1
        assertEquals("0007" + "00" + "0003612f23" + "01", HexFormat.of().formatHex(packet.body()));
    }
}
