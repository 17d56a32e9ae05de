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
 * Packets per MQTT 5.0 §3: CONNECT with user name and password, QoS 1 PUBLISH, SUBSCRIBE, PINGREQ, DISCONNECT; it
 * reads whatever the server sends back, packet by packet.
 */
public final class RawMqtt implements AutoCloseable {
    /** A packet from the server: its type (high nibble of the first byte) and its body after the fixed header. */
    public record Packet(int type, byte[] body) {
        public static final int CONNACK = 2;
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

        public int packetId() {
            return ((body[0] & 0xff) << 8) | (body[1] & 0xff);
        }
    }

    private final Socket socket;
    private final DataInputStream in;

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

    /** A TCP connection to the gateway, nothing sent yet. */
    public static RawMqtt open(int port) throws IOException {
        return new RawMqtt(new Socket("127.0.0.1", port));
    }

    /** An MQTT 5 CONNECT with clean start, the client id as user name, and the password. */
    public static byte[] connectPacket(String clientId, String password) {
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        variable.writeBytes(string("MQTT"));
        variable.write(5);
        variable.write(0xC2); // user name, password, clean start
        variable.writeBytes(new byte[] {0, 60}); // keepalive
        variable.write(0); // no properties
        variable.writeBytes(string(clientId));
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
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        variable.writeBytes(new byte[] {(byte) (packetId >> 8), (byte) packetId});
        variable.write(0); // no properties
        variable.writeBytes(string(filter));
        variable.write(1); // QoS 1
        return packet(0x82, variable.toByteArray());
    }

    /** A QoS 1 PUBLISH, as bytes (to be written together with others). */
    public static byte[] publish(String topic, int packetId, byte[] payload) {
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        variable.writeBytes(string(topic));
        variable.writeBytes(new byte[] {(byte) (packetId >> 8), (byte) packetId});
        variable.write(0); // no properties
        variable.writeBytes(payload);
        return packet(0x32, variable.toByteArray());
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
        return new Packet(first >> 4, body);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static byte[] packet(int header, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(new byte[] {(byte) (utf8.length >> 8), (byte) utf8.length}, 2 + utf8.length);
        System.arraycopy(utf8, 0, out, 2, utf8.length);
        return out;
    }
}
