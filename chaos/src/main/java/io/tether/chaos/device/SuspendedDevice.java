package io.tether.chaos.device;

import io.tether.chaos.mqtt.MqttPackets;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A suspended iOS app, seen from the server. {@link Kind#DEAF}: connected and subscribed, then it never reads its
 * socket nor acknowledges anything again (the app is frozen, the socket stays open). {@link Kind#GONE}: it said
 * {@code background} and its socket closed without a DISCONNECT (iOS defuncted it). A raw socket, because no
 * stock client can be told to stop reading.
 */
public final class SuspendedDevice implements AutoCloseable {
    /** How the app went away. */
    public enum Kind { DEAF, GONE }

    private final Socket socket;

    private SuspendedDevice(Socket socket) {
        this.socket = socket;
    }

    /** Connects as {@code device} (MQTT 3.1.1), subscribes, then goes deaf or away. */
    public static SuspendedDevice suspend(Credentials device, int mqttPort, Kind kind) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", mqttPort), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            int version = MqttPackets.V311;
            // Keepalive 0: the gateway must notice the deaf socket by its missing PUBACKs, not by a keepalive timer.
            out.write(MqttPackets.connect(version, device.id(), device.username(), device.password(), 0));
            expect(in, MqttPackets.CONNACK, device);
            out.write(MqttPackets.subscribe(version, 1, AppDevice.filter(device.id()), 1));
            expect(in, MqttPackets.SUBACK, device);
            if (kind == Kind.GONE) {
                out.write(MqttPackets.publish(version, "$tether/lifecycle", "background".getBytes(StandardCharsets.UTF_8), 1, 2));
                expect(in, MqttPackets.PUBACK, device);
                socket.setSoLinger(true, 0); // a reset, not a FIN: the way a defuncted socket often ends
                socket.close();
            }
            return new SuspendedDevice(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Reads packets until one of {@code type}; PUBLISHes that come first (its inbox) are read and never acknowledged. */
    private static void expect(InputStream in, int type, Credentials device) throws IOException {
        for (int i = 0; i < 10_000; i++) {
            MqttPackets.Packet packet = MqttPackets.read(in);
            if (packet.type() == type) {
                if (type == MqttPackets.CONNACK && packet.body().length > 1 && packet.body()[1] != 0) {
                    throw new IOException(device.id() + " refused: CONNACK code " + packet.body()[1]);
                }
                return;
            }
        }
        throw new IOException(device.id() + ": no packet of type " + type);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already gone.
        }
    }
}
