package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testkit.Ports;
import io.tether.testkit.RawMqtt;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.mqtt.MqttServerOptions;
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
    private final int port = Ports.free();

    @BeforeEach
    void start() throws Exception {
        vertx.exceptionHandler(uncaught::add);
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
        try (RawMqtt client = RawMqtt.connect(port, "c1", "any")) {
            client.write(RawMqtt.pingreq());
            assertEquals(RawMqtt.Packet.PINGRESP, client.read().type());
        }
    }

    @Test
    void aPacketSentBehindADisconnectIsDroppedWithoutAnUncaughtException() throws Exception {
        try (RawMqtt client = RawMqtt.connect(port, "c1", "any")) {
            client.write(RawMqtt.disconnect(), RawMqtt.pingreq()); // one write: the server reads both at once
            assertTrue(client.closedByServer(), "closed, no PINGRESP");
        }
        // The read that held both packets ran to its end before this task runs on the one event loop.
        CompletableFuture<Void> after = new CompletableFuture<>();
        vertx.runOnContext(v -> after.complete(null));
        after.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), uncaught, "Vert.x reported no exception for the PINGREQ");
    }
}
