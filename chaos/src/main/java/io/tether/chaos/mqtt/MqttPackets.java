package io.tether.chaos.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * MQTT 3.1.1 and 5 control packets as raw bytes. Written by hand rather than with a codec library because the
 * fuzzer must also build what no codec would: wrong lengths, unknown property ids, invalid UTF-8. The deaf devices
 * use it too, since a stock client cannot be told to stop reading its socket.
 */
public final class MqttPackets {
    public static final int V311 = 4;
    public static final int V5 = 5;
    /** The largest Remaining Length MQTT can express (four variable-length bytes). */
    public static final int MAX_REMAINING_LENGTH = 268_435_455;

    public static final int CONNECT = 1;
    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    public static final int SUBSCRIBE = 8;
    public static final int SUBACK = 9;
    public static final int UNSUBSCRIBE = 10;
    public static final int PINGREQ = 12;
    public static final int DISCONNECT = 14;

    private MqttPackets() {
    }

    /** A packet read off a socket: its type (upper four bits of the first byte), flags and body. */
    public record Packet(int type, int flags, byte[] body) {
    }

    public static byte[] connect(int version, String clientId, String username, String password, int keepAlive) {
        return connect(version, clientId, username, password, keepAlive, new byte[0]);
    }

    /** CONNECT with clean session/start, user name and password; {@code properties} is the raw MQTT 5 property block. */
    public static byte[] connect(int version, String clientId, String username, String password, int keepAlive,
            byte[] properties) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(version);
        int flags = 0x02 | (username != null ? 0x80 : 0) | (password != null ? 0x40 : 0);
        body.write(flags);
        body.write(keepAlive >> 8);
        body.write(keepAlive);
        properties(body, version, properties);
        string(body, clientId);
        if (username != null) {
            string(body, username);
        }
        if (password != null) {
            string(body, password);
        }
        return packet(CONNECT << 4, body.toByteArray());
    }

    public static byte[] publish(int version, String topic, byte[] payload, int qos, int packetId) {
        return publish(version, topic, payload, qos, packetId, new byte[0]);
    }

    public static byte[] publish(int version, String topic, byte[] payload, int qos, int packetId, byte[] properties) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        if (qos > 0) {
            body.write(packetId >> 8);
            body.write(packetId);
        }
        properties(body, version, properties);
        body.writeBytes(payload);
        return packet((PUBLISH << 4) | (qos << 1), body.toByteArray());
    }

    public static byte[] subscribe(int version, int packetId, String filter, int qos) {
        return subscribe(version, packetId, filter, qos, new byte[0]);
    }

    public static byte[] subscribe(int version, int packetId, String filter, int qos, byte[] properties) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId);
        properties(body, version, properties);
        string(body, filter);
        body.write(qos);
        return packet((SUBSCRIBE << 4) | 0x02, body.toByteArray());
    }

    public static byte[] unsubscribe(int version, int packetId, String filter) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId);
        properties(body, version, new byte[0]);
        string(body, filter);
        return packet((UNSUBSCRIBE << 4) | 0x02, body.toByteArray());
    }

    public static byte[] puback(int version, int packetId) {
        return packet(PUBACK << 4, new byte[] {(byte) (packetId >> 8), (byte) packetId});
    }

    public static byte[] pingreq() {
        return new byte[] {(byte) (PINGREQ << 4), 0};
    }

    public static byte[] disconnect(int version) {
        return version == V5 ? new byte[] {(byte) (DISCONNECT << 4), 2, 0, 0} : new byte[] {(byte) (DISCONNECT << 4), 0};
    }

    /** First byte, Remaining Length as a variable byte integer, body. */
    public static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
        out.write(firstByte);
        out.writeBytes(varint(body.length));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** MQTT's variable byte integer: 7 bits a byte, high bit set while more follow. */
    public static byte[] varint(int value) {
        if (value < 0 || value > MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("not a variable byte integer: " + value);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4);
        do {
            int digit = value % 128;
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        return out.toByteArray();
    }

    /** Reads one packet; EOFException when the peer closed. */
    public static Packet read(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new EOFException("closed");
        }
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed in a length");
            }
            length |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            if (shift >= 21) {
                throw new IOException("malformed remaining length");
            }
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("closed in a packet");
        }
        return new Packet(first >> 4, first & 0x0f, body);
    }

    private static void properties(ByteArrayOutputStream body, int version, byte[] properties) {
        if (version == V5) {
            body.writeBytes(varint(properties.length));
            body.writeBytes(properties);
        }
    }

    private static void string(ByteArrayOutputStream out, String value) {
        bytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A length-prefixed field (UTF-8 string or binary data). */
    public static void bytes(ByteArrayOutputStream out, byte[] value) {
        out.write(value.length >> 8);
        out.write(value.length);
        out.writeBytes(value);
    }
}
