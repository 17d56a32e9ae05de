package io.tether.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An MQTT 5 client that does what well-behaved clients never do (many PUBLISHes in one write, beyond the Receive
 * Maximum the server announced, packets before CONNACK, packets behind a DISCONNECT), to see the gateway answer it.
 * Packets per MQTT 5.0 §3: CONNECT with user name and password, QoS 1 PUBLISH, SUBSCRIBE (each with the properties
 * a server may not support), PUBACK, PINGREQ, DISCONNECT; it reads whatever the server sends back, packet by packet.
 */
public final class RawMqtt implements AutoCloseable {
    /**
     * A packet from the server: its type (high nibble of the first byte), its flags (low nibble) and its body after the
     * fixed header.
     */
    public record Packet(int type, int flags, byte[] body) {
        public static final int CONNACK = 2;
        public static final int PUBLISH = 3;
        public static final int PUBACK = 4;
        public static final int SUBACK = 9;
        public static final int PINGRESP = 13;
        public static final int DISCONNECT = 14;

        /** CONNACK, PUBACK and DISCONNECT reason codes (0 when a PUBACK leaves it out). */
        public int reasonCode() {
            return switch (type) {
                case CONNACK -> body[1] & 0xff;
                case PUBACK -> body.length > 2 ? body[2] & 0xff : 0;
                default -> body.length > 0 ? body[0] & 0xff : 0;
            };
        }

        /** The Packet Identifier: of a PUBLISH behind its topic (0 at QoS 0), else at the start of the body. */
        public int packetId() {
            if (type == PUBLISH) {
                return qos() == 0 ? 0 : uint16(2 + uint16(0));
            }
            return uint16(0);
        }

        /** A PUBLISH's topic name. */
        public String topic() {
            return new String(body, 2, uint16(0), StandardCharsets.UTF_8);
        }

        /** A PUBLISH's QoS. */
        public int qos() {
            return (flags >> 1) & 3;
        }

        /** A PUBLISH's DUP flag: it may have been sent before. */
        public boolean dup() {
            return (flags & 0x08) != 0;
        }

        /** A CONNACK's Session Present flag. */
        public boolean sessionPresent() {
            return (body[0] & 1) != 0;
        }

        private int uint16(int at) {
            return ((body[at] & 0xff) << 8) | (body[at + 1] & 0xff);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private Packet connack;

    private RawMqtt(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects (MQTT 5, clean start) and returns once CONNACK arrived; fails unless it is a success. */
    public static RawMqtt connect(int port, String clientId, String password) throws IOException {
        RawMqtt client = open(port);
        client.write(connectPacket(clientId, password));
        Packet connack = client.read();
        if (connack.type() != Packet.CONNACK || connack.reasonCode() != 0) {
            throw new IOException("not connected: " + connack.type() + "/" + connack.reasonCode());
        }
        return client;
    }

    /**
     * Connects with clean start off and a Session Expiry Interval, so that the session outlives the connection; fails
     * unless CONNACK is a success. The CONNACK is {@link #connack()}.
     */
    public static RawMqtt resume(int port, String clientId, String password, int expirySeconds) throws IOException {
        RawMqtt client = open(port);
        client.write(connectPacket(clientId, password, false, expirySeconds));
        client.connack = client.read();
        if (client.connack.type() != Packet.CONNACK || client.connack.reasonCode() != 0) {
            throw new IOException("not connected: " + client.connack.type() + "/" + client.connack.reasonCode());
        }
        return client;
    }

    /** The CONNACK {@link #resume} got. */
    public Packet connack() {
        return connack;
    }

    /** A TCP connection to the gateway, nothing sent yet. */
    public static RawMqtt open(int port) throws IOException {
        return new RawMqtt(new Socket("127.0.0.1", port));
    }

    /** An MQTT 5 CONNECT with clean start, the client id as user name, and the password. */
    public static byte[] connectPacket(String clientId, String password) {
        return connectPacket(clientId, password, true, 0);
    }

    private static byte[] connectPacket(String clientId, String password, boolean cleanStart, int expirySeconds) {
        return connectPacket(clientId, password, cleanStart, expirySeconds, null, null);
    }

    /** An MQTT 5 CONNECT as {@link #connectPacket(String, String)}, with a QoS 0 will on {@code willTopic}. */
    public static byte[] connectPacketWithWill(String clientId, String password, String willTopic, byte[] willPayload) {
        return connectPacket(clientId, password, true, 0, willTopic, willPayload);
    }

    /** @param willTopic a QoS 0 will's topic, or null for none */
    private static byte[] connectPacket(String clientId, String password, boolean cleanStart, int expirySeconds, String willTopic,
            byte[] willPayload) {
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        variable.writeBytes(string("MQTT"));
        variable.write(5);
        // user name, password, clean start or not, a will (QoS 0, not retained) or not
        variable.write((cleanStart ? 0xC2 : 0xC0) | (willTopic != null ? 0x04 : 0));
        variable.writeBytes(new byte[] {0, 60}); // keepalive
        variable.writeBytes(properties(expirySeconds == 0 ? new byte[0]
                : new byte[] {0x11, (byte) (expirySeconds >> 24), (byte) (expirySeconds >> 16), (byte) (expirySeconds >> 8),
                        (byte) expirySeconds})); // Session Expiry Interval
        variable.writeBytes(string(clientId));
        if (willTopic != null) {
            variable.writeBytes(properties(new byte[0])); // will properties
            variable.writeBytes(string(willTopic));
            variable.writeBytes(new byte[] {(byte) (willPayload.length >> 8), (byte) willPayload.length});
            variable.writeBytes(willPayload);
        }
        variable.writeBytes(string(clientId));
        variable.writeBytes(string(password));
        return packet(0x10, variable.toByteArray());
    }

    /** A DISCONNECT with no reason code (normal disconnection). */
    public static byte[] disconnect() {
        return packet(0xE0, new byte[0]);
    }

    public static byte[] pingreq() {
        return packet(0xC0, new byte[0]);
    }

    /** A SUBSCRIBE of one filter at QoS 1. */
    public static byte[] subscribe(int packetId, String filter) {
        return subscribe(packetId, filter, 0);
    }

    /** A SUBSCRIBE of one filter at QoS 1 with a Subscription Identifier (§3.8.2.1.2), none when 0. */
    public static byte[] subscribe(int packetId, String filter, int subscriptionIdentifier) {
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        variable.writeBytes(new byte[] {(byte) (packetId >> 8), (byte) packetId});
        ByteArrayOutputStream identifier = new ByteArrayOutputStream();
        if (subscriptionIdentifier != 0) {
            identifier.write(0x0B);
            variableByteInteger(identifier, subscriptionIdentifier);
        }
        variable.writeBytes(properties(identifier.toByteArray()));
        variable.writeBytes(string(filter));
        variable.write(1); // QoS 1
        return packet(0x82, variable.toByteArray());
    }

    /** A QoS 1 PUBLISH, as bytes (to be written together with others). */
    public static byte[] publish(String topic, int packetId, byte[] payload) {
        return publish(topic, packetId, payload, 0);
    }

    /** A QoS 1 PUBLISH with a Topic Alias (§3.3.2.3.4), none when 0; with an empty topic it names the topic alone. */
    public static byte[] publish(String topic, int packetId, byte[] payload, int topicAlias) {
        return publish(topic, packetId, payload,
                topicAlias == 0 ? new byte[0] : new byte[] {0x23, (byte) (topicAlias >> 8), (byte) topicAlias});
    }

    /** A QoS 1 PUBLISH with a Subscription Identifier (§3.3.2.3.8), which only a server may send [MQTT-3.3.4-6]. */
    public static byte[] publishWithSubscriptionIdentifier(String topic, int packetId, byte[] payload, int subscriptionIdentifier) {
        ByteArrayOutputStream identifier = new ByteArrayOutputStream();
        identifier.write(0x0B);
        variableByteInteger(identifier, subscriptionIdentifier);
        return publish(topic, packetId, payload, identifier.toByteArray());
    }

    private static byte[] publish(String topic, int packetId, byte[] payload, byte[] encodedProperties) {
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        variable.writeBytes(string(topic));
        variable.writeBytes(new byte[] {(byte) (packetId >> 8), (byte) packetId});
        variable.writeBytes(properties(encodedProperties));
        variable.writeBytes(payload);
        return packet(0x32, variable.toByteArray());
    }

    /** A PUBACK with success (the short form: the Packet Identifier alone). */
    public static byte[] puback(int packetId) {
        return packet(0x40, new byte[] {(byte) (packetId >> 8), (byte) packetId});
    }

    /** Writes everything in one write, so the gateway reads it at once. */
    public void write(byte[]... packets) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] packet : packets) {
            all.writeBytes(packet);
        }
        OutputStream out = socket.getOutputStream();
        out.write(all.toByteArray());
        out.flush();
    }

    /** Whether the server closed the connection: end of stream before the next packet (or within the read timeout). */
    public boolean closedByServer() throws IOException {
        return in.read() == -1;
    }

    /** The next packet from the server; fails at the end of the stream. */
    public Packet read() throws IOException {
        int first = in.readUnsignedByte();
        int length = 0;
        for (int shift = 0, b = 0x80; (b & 0x80) != 0; shift += 7) {
            b = in.readUnsignedByte();
            length |= (b & 0x7f) << shift;
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(first >> 4, first & 0x0f, body);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static byte[] packet(int header, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        variableByteInteger(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Properties as MQTT 5 writes them: their length, then the properties. */
    private static byte[] properties(byte[] encoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        variableByteInteger(out, encoded.length);
        out.writeBytes(encoded);
        return out.toByteArray();
    }

    private static void variableByteInteger(ByteArrayOutputStream out, int value) {
        do {
            int digit = value % 128;
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    private static byte[] string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(new byte[] {(byte) (utf8.length >> 8), (byte) utf8.length}, 2 + utf8.length);
        System.arraycopy(utf8, 0, out, 2, utf8.length);
        return out;
    }
}
