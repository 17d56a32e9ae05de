package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A second connection with the same client id takes the session over: the first one gets DISCONNECT 0x8E (session
 * taken over) with a Reason String, whether the second arrived at the same gateway or at another one, as Eclipse Paho's
 * MQTT 5 client sees it, so that it does not reconnect at once and fight the new one.
 */
class MqttTakeoverIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static TetherStack stack;
    private static Api api;
    private static TetherStack.Gateway other;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
        other = stack.startGateway("gw-takeover", Map.of());
    }

    @AfterAll
    static void stop() {
        other.process().close();
    }

    /** A Paho MQTT 5 client that reports how the server ended its connection. */
    private record Paho(MqttClient client, CompletableFuture<MqttDisconnectResponse> ended, LinkedBlockingQueue<String> received) {
    }

    private static Paho connect(Api.Device device, int port) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, device.id(), new MemoryPersistence());
        CompletableFuture<MqttDisconnectResponse> ended = new CompletableFuture<>();
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                ended.complete(response);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(device.id());
        options.setPassword(device.password().getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(false);
        options.setSessionExpiryInterval(600L);
        options.setAutomaticReconnect(false);
        client.connect(options);
        return new Paho(client, ended, received);
    }

    @Test
    void aSecondConnectionAtTheSameGatewayEndsTheFirstWith0x8e() throws Exception {
        Api.Device device = api.register("ios");
        Paho first = connect(device, stack.gateway().mqttPort());
        first.client().subscribe("devices/" + device.id() + "/#", 1);

        Paho second = connect(device, stack.gateway().mqttPort());

        MqttDisconnectResponse ended = first.ended().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0x8E, ended.getReturnCode());
        assertEquals("a newer connection took the session over", ended.getReasonString());
        assertTrue(second.client().isConnected());
        String messageId = api.sendToDevice(device.id(), "to the second connection");
        assertEquals("to the second connection", second.received().poll(DEADLINE.toSeconds(), TimeUnit.SECONDS),
                "the session, with its subscription, moved to the second connection");
        await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(messageId, device.id())));
        second.client().disconnect();
        second.client().close();
    }

    @Test
    void aSecondConnectionAtAnotherGatewayEndsTheFirstWith0x8eToo() throws Exception {
        Api.Device device = api.register("ios");
        Paho first = connect(device, stack.gateway().mqttPort());
        await().atMost(DEADLINE).until(() -> stack.gateway().id().equals(stack.presence(device.id()).get("gatewayId"))
                && "LIVE".equals(stack.presence(device.id()).get("state")));

        Paho second = connect(device, other.mqttPort());

        MqttDisconnectResponse ended = first.ended().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0x8E, ended.getReturnCode());
        assertTrue(second.client().isConnected());
        await().atMost(DEADLINE).until(() -> other.id().equals(stack.presence(device.id()).get("gatewayId"))
                && "LIVE".equals(stack.presence(device.id()).get("state")));
        second.client().disconnect();
        second.client().close();
    }
}
