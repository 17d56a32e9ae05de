package io.tether.chaos.fuzz;

import io.tether.chaos.mqtt.MqttPackets;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/** Damages an MQTT packet the ways a broken or hostile client would. Each mutation is named for the report. */
public final class Mutator {
    /** The kinds of damage, in the order {@link #mutate} picks from. */
    public enum Mutation {
        FLIP_BIT, RANDOM_BYTE, TRUNCATE, WRONG_LENGTH, HUGE_LENGTH, INVALID_UTF8, INSERT_BYTES, DELETE_BYTES, BAD_FIRST_BYTE
    }

    private static final byte[][] BAD_UTF8 = {
            {(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC3, 0x28},
            {0}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF}};

    private final Random random;

    public Mutator(Random random) {
        this.random = random;
    }

    public Mutation pick() {
        Mutation[] all = Mutation.values();
        return all[random.nextInt(all.length)];
    }

    /** A damaged copy of {@code packet} (which must be a whole packet with its fixed header). */
    public byte[] mutate(byte[] packet, Mutation mutation) {
        byte[] out = packet.clone();
        switch (mutation) {
            case FLIP_BIT -> {
                int bits = 1 + random.nextInt(3);
                for (int i = 0; i < bits; i++) {
                    int at = random.nextInt(out.length);
                    out[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case RANDOM_BYTE -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
            case TRUNCATE -> out = Arrays.copyOf(out, Math.max(1, random.nextInt(out.length)));
            case WRONG_LENGTH -> out = withLength(out, random.nextInt(Math.max(2, bodyLength(out) * 2 + 8)));
            case HUGE_LENGTH -> out = withLength(out, MqttPackets.MAX_REMAINING_LENGTH - random.nextInt(1 << 20));
            case INVALID_UTF8 -> out = invalidUtf8(out);
            case INSERT_BYTES -> {
                int at = random.nextInt(out.length + 1);
                byte[] extra = new byte[1 + random.nextInt(16)];
                random.nextBytes(extra);
                out = concat(Arrays.copyOf(out, at), extra, Arrays.copyOfRange(packet, at, packet.length));
            }
            case DELETE_BYTES -> {
                if (out.length > 2) {
                    int at = 1 + random.nextInt(out.length - 1);
                    int count = 1 + random.nextInt(Math.min(8, out.length - at));
                    out = concat(Arrays.copyOf(out, at), Arrays.copyOfRange(out, at + count, out.length));
                }
            }
            case BAD_FIRST_BYTE -> out[0] = (byte) ((random.nextBoolean() ? 0 : 0xF0) | random.nextInt(16));
        }
        return out;
    }

    /** Random bytes of a random length up to {@code max}. */
    public byte[] noise(int max) {
        byte[] bytes = new byte[1 + random.nextInt(max)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The packet with its Remaining Length field rewritten to {@code length} (the body unchanged). */
    static byte[] withLength(byte[] packet, int length) {
        int headerEnd = 1;
        while (headerEnd < packet.length && headerEnd < 5 && (packet[headerEnd] & 0x80) != 0) {
            headerEnd++;
        }
        headerEnd = Math.min(headerEnd + 1, packet.length);
        return concat(new byte[] {packet[0]}, MqttPackets.varint(length), Arrays.copyOfRange(packet, headerEnd, packet.length));
    }

    /** The length of the body after the fixed header (bytes present, not what the header claims). */
    static int bodyLength(byte[] packet) {
        int at = 1;
        while (at < packet.length && (packet[at] & 0x80) != 0) {
            at++;
        }
        return Math.max(0, packet.length - at - 1);
    }

    /** Replaces a byte inside the first run of printable ASCII (a string field) with an invalid UTF-8 sequence. */
    private byte[] invalidUtf8(byte[] packet) {
        int start = -1;
        for (int i = 2; i < packet.length; i++) {
            if (packet[i] >= 0x21 && packet[i] < 0x7f) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            return packet.clone();
        }
        byte[] bad = BAD_UTF8[random.nextInt(BAD_UTF8.length)];
        // Keep the length: overwrite in place, as a client that sends garbage in a well-framed packet would.
        byte[] out = packet.clone();
        System.arraycopy(bad, 0, out, start, Math.min(bad.length, out.length - start));
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
