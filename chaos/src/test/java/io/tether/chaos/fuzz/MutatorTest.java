package io.tether.chaos.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.chaos.mqtt.MqttPackets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MutatorTest {
    private final byte[] connect = MqttPackets.connect(MqttPackets.V311, "device", "device", "secret", 30);

    @Test
    void hugeLengthAnnouncesMoreThan267MillionBytesInFourLengthBytes() throws IOException {
        Mutator mutator = new Mutator(new Random(1));
        byte[] huge = mutator.mutate(connect, Mutator.Mutation.HUGE_LENGTH);
        assertEquals((byte) 0x10, huge[0]);
        int length = 0;
        for (int i = 0; i < 4; i++) {
            length |= (huge[1 + i] & 0x7f) << (7 * i);
        }
        assertTrue(length > MqttPackets.MAX_REMAINING_LENGTH - (1 << 20) && length <= MqttPackets.MAX_REMAINING_LENGTH, "length " + length);
        assertArrayEquals(Arrays.copyOfRange(connect, 2, connect.length), Arrays.copyOfRange(huge, 5, huge.length));
    }

    @Test
    void wrongLengthKeepsTheBodyAndChangesOnlyTheHeader() throws IOException {
        byte[] rewritten = Mutator.withLength(connect, 5);
        MqttPackets.Packet packet = MqttPackets.read(new ByteArrayInputStream(rewritten));
        assertEquals(5, packet.body().length);
        assertArrayEquals(Arrays.copyOfRange(connect, 2, 7), packet.body());
    }

    @Test
    void invalidUtf8LandsInAStringField() {
        Mutator mutator = new Mutator(new Random(3));
        byte[] broken = mutator.mutate(connect, Mutator.Mutation.INVALID_UTF8);
        assertEquals(connect.length, broken.length);
        assertNotEquals(Arrays.toString(connect), Arrays.toString(broken));
    }

    @Test
    void everyMutationYieldsBytesForAnyPacket() {
        Random random = new Random(7);
        Mutator mutator = new Mutator(random);
        PacketFactory factory = new PacketFactory(random);
        var device = new io.tether.chaos.device.Credentials("dev_1", "dev_1", "pw", null);
        for (int i = 0; i < 2_000; i++) {
            byte[] packet = factory.make(factory.pick(), random.nextBoolean() ? MqttPackets.V5 : MqttPackets.V311, device);
            assertTrue(mutator.mutate(packet, mutator.pick()).length > 0);
        }
    }
}
