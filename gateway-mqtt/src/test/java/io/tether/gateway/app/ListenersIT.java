package io.tether.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WebSocket listener's options on a real socket: a Vert.x MQTT server with them and a raw WebSocket client. */
class ListenersIT {
    private static final long DEADLINE_SECONDS = 10;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void aQos1PublishOf100KibOverWebSocketArrivesWholeAndIsAcknowledged() throws Exception {
        MqttServerOptions options = Listeners.from(ListenersTest.config(0, 1)).stream().filter(l -> l.name().equals("ws"))
                .findFirst().orElseThrow().options().setPort(0);
        BlockingQueue<Integer> received = new LinkedBlockingQueue<>();
        MqttServer server = MqttServer.create(vertx, options).endpointHandler(endpoint -> {
            endpoint.publishHandler(publish -> {
                received.add(publish.payload().length());
                endpoint.publishAcknowledge(publish.messageId());
            });
            endpoint.accept(false);
        });
        int port = server.listen().toCompletionStage().toCompletableFuture().get(DEADLINE_SECONDS, TimeUnit.SECONDS).actualPort();

        BlockingQueue<MqttMessage> answers = new LinkedBlockingQueue<>();
        EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(ListenersTest.MAX_MESSAGE_SIZE));
        CompletableFuture<Short> closed = new CompletableFuture<>();
        WebSocket ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(2 * ListenersTest.MAX_MESSAGE_SIZE))
                .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/mqtt").addSubProtocol("mqtt"))
                .toCompletionStage().toCompletableFuture().get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        ws.binaryMessageHandler(bytes -> {
            decoder.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes()));
            for (Object message = decoder.readInbound(); message != null; message = decoder.readInbound()) {
                answers.add((MqttMessage) message);
            }
        });
        ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));

        ws.writeBinaryMessage(encode(MqttMessageBuilders.connect().clientId("dev-1").protocolVersion(MqttVersion.MQTT_3_1_1)
                .keepAlive(30).cleanSession(true).build()));
        assertEquals(MqttMessageType.CONNACK, next(answers, closed).fixedHeader().messageType());
        byte[] payload = new byte[100 * 1024];
        ws.writeBinaryMessage(encode(MqttMessageBuilders.publish().topicName("devices/dev-1/big").qos(MqttQoS.AT_LEAST_ONCE)
                .messageId(1).payload(Unpooled.wrappedBuffer(payload)).build())); // one frame: the client's limit is above it

        MqttMessage puback = next(answers, closed);
        assertEquals(MqttMessageType.PUBACK, puback.fixedHeader().messageType());
        assertEquals(1, ((MqttMessageIdVariableHeader) puback.variableHeader()).messageId());
        assertEquals(payload.length, received.poll(DEADLINE_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void anEmptyClientIdReachesTheConnectHandlerAsNone() throws Exception {
        MqttServerOptions options = Listeners.from(ListenersTest.config(1, 0)).get(0).options().setPort(0);
        CompletableFuture<String> clientId = new CompletableFuture<>();
        MqttServer server = MqttServer.create(vertx, options).endpointHandler(endpoint -> {
            clientId.complete(String.valueOf(endpoint.clientIdentifier()));
            endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        });
        int port = server.listen().toCompletionStage().toCompletableFuture().get(DEADLINE_SECONDS, TimeUnit.SECONDS).actualPort();
        NetSocket socket = vertx.createNetClient().connect(port, "127.0.0.1").toCompletionStage().toCompletableFuture()
                .get(DEADLINE_SECONDS, TimeUnit.SECONDS);

        socket.write(encode(MqttMessageBuilders.connect().clientId("").protocolVersion(MqttVersion.MQTT_3_1_1).keepAlive(30)
                .cleanSession(true).build()));

        assertEquals("null", clientId.get(DEADLINE_SECONDS, TimeUnit.SECONDS), "not a made-up id");
    }

    /** The next packet from the server; fails at once, naming the close status, when the server closed the WebSocket. */
    private static MqttMessage next(BlockingQueue<MqttMessage> answers, CompletableFuture<Short> closed) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (System.nanoTime() < deadline) {
            MqttMessage message = answers.poll(50, TimeUnit.MILLISECONDS);
            if (message != null) {
                return message;
            }
            if (closed.isDone()) {
                throw new AssertionError("the server closed the WebSocket: status " + closed.get());
            }
        }
        throw new AssertionError("no answer within " + DEADLINE_SECONDS + " s");
    }

    private static Buffer encode(MqttMessage message) {
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        encoder.writeOutbound(message);
        ByteBuf bytes = encoder.readOutbound();
        try {
            return Buffer.buffer(ByteBufUtil.getBytes(bytes));
        } finally {
            bytes.release();
        }
    }
}
