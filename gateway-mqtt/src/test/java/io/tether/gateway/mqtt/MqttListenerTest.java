package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.mqtt.MqttServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MqttListener} on a real Vert.x MQTT server and a real socket, with a connect handler that accepts every
 * CONNECT and releases the gate as {@link ConnectHandler} does: what the pipeline it builds does with the packets.
 */
class MqttListenerTest {
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)); // one loop: tasks run in order
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx.exceptionHandler(uncaught::add);
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        MqttServerOptions options = new MqttServerOptions().setHost("127.0.0.1").setPort(port);
        vertx.deployVerticle(new MqttListener(options, endpoint -> {
            endpoint.accept(false);
            ConnectHandler.release(ConnectGate.of(EndpointSocket.vertxHandler(endpoint)), endpoint);
        })).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPingreqAfterConnackIsAnswered() throws Exception {
        try (Socket socket = connected()) {
            write(socket, PINGREQ);
            assertEquals(0xD0, new DataInputStream(socket.getInputStream()).readUnsignedByte(), "PINGRESP");
        }
    }

    @Test
    void aPacketSentBehindADisconnectIsDroppedWithoutAnUncaughtException() throws Exception {
        try (Socket socket = connected()) {
            write(socket, DISCONNECT, PINGREQ); // one write: the gateway reads both at once
            assertEquals(-1, socket.getInputStream().read(), "closed, no PINGRESP");
        }
        // The read that held both packets ran to its end before this task runs on the one event loop.
        CompletableFuture<Void> after = new CompletableFuture<>();
        vertx.runOnContext(v -> after.complete(null));
        after.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), uncaught, "Vert.x reported no exception for the PINGREQ");
    }

    private static final byte[] PINGREQ = {(byte) 0xC0, 0};
    private static final byte[] DISCONNECT = {(byte) 0xE0, 0};

    /** A socket on which an MQTT 3.1.1 CONNECT got its CONNACK. */
    private Socket connected() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 4});
        body.writeBytes("MQTT".getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(new byte[] {4, 0x02, 0, 60, 0, 2}); // 3.1.1, clean session, keepalive 60 s, client id of 2 bytes
        body.writeBytes("c1".getBytes(StandardCharsets.US_ASCII));
        byte[] connect = new byte[2 + body.size()];
        connect[0] = 0x10;
        connect[1] = (byte) body.size();
        System.arraycopy(body.toByteArray(), 0, connect, 2, body.size());
        write(socket, connect);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] connack = new byte[4];
        in.readFully(connack);
        assertEquals(0x20, connack[0] & 0xff, "CONNACK");
        assertEquals(0, connack[3], "accepted");
        return socket;
    }

    private static void write(Socket socket, byte[]... packets) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] packet : packets) {
            all.writeBytes(packet);
        }
        OutputStream out = socket.getOutputStream();
        out.write(all.toByteArray());
        out.flush();
    }
}
