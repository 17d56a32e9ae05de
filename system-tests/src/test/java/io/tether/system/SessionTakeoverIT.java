package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One session per client id across gateways: a device connecting to a second gateway ends its session on the first. */
class SessionTakeoverIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static TetherStack stack;
    private static Api api;
    private static TetherStack.Gateway first;
    private static TetherStack.Gateway second;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
        first = stack.gateway();
        second = stack.second();
    }

    @Test
    void theOlderSessionOnAnotherGatewayGetsSessionTakenOverAndOnlyTheNewerReceives() throws Exception {
        Api.Device device = api.register("ios");
        List<Throwable> firstEnds = new CopyOnWriteArrayList<>();
        LinkedBlockingQueue<String> firstReceived = new LinkedBlockingQueue<>();
        Mqtt5AsyncClient older = Doors.mqtt5(device.id(), first.mqttPort(), "127.0.0.1")
                .addDisconnectedListener(context -> firstEnds.add(context.getCause())).buildAsync();
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, Doors.connect(older, device.id(), device.password()));
        subscribe(older, device, firstReceived);
        await().atMost(DEADLINE).until(() -> first.id().equals(stack.presence(device.id()).get("gatewayId")));
        double takenOverBefore = Doors.metric(first.process(), "tether_gateway_sessions_closed_total", "reason=\"taken-over\"");

        LinkedBlockingQueue<String> secondReceived = new LinkedBlockingQueue<>();
        Mqtt5AsyncClient newer = Doors.mqtt5(device.id(), second.mqttPort(), "127.0.0.1").buildAsync();
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, Doors.connect(newer, device.id(), device.password()));
        subscribe(newer, device, secondReceived);

        await().atMost(DEADLINE).until(() -> !firstEnds.isEmpty());
        assertEquals(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER, Doors.disconnectReason(firstEnds.get(0)));
        assertTrue(newer.getState().isConnected());
        assertEquals(takenOverBefore + 1, Doors.metric(first.process(), "tether_gateway_sessions_closed_total", "reason=\"taken-over\""));
        await().atMost(DEADLINE).until(() -> "1".equals(stack.presence(device.id()).get("receiving"))
                && second.id().equals(stack.presence(device.id()).get("gatewayId")));

        api.sendToDevice(device.id(), "to the newer session");
        assertEquals("to the newer session", secondReceived.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(firstReceived.isEmpty());
        assertTrue(newer.getState().isConnected(), "the newer session stays");
        newer.disconnect().join();
    }

    @Test
    void anOlderMqtt311SessionIsClosed() {
        Api.Device device = api.register("ios");
        Mqtt3AsyncClient older = MqttClient.builder().useMqttVersion3().identifier(device.id())
                .serverHost("127.0.0.1").serverPort(second.mqttPort()).buildAsync();
        older.connectWith().simpleAuth().username(device.id()).password(device.password().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send().orTimeout(10, TimeUnit.SECONDS).join();

        Mqtt5AsyncClient newer = Doors.mqtt5(device.id(), first.mqttPort(), "127.0.0.1").buildAsync();
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, Doors.connect(newer, device.id(), device.password()));

        // MQTT 3.1.1 has no DISCONNECT from the server: its socket is closed.
        await().atMost(DEADLINE).until(() -> !older.getState().isConnected());
        assertTrue(newer.getState().isConnected());
        assertEquals(first.id(), stack.redis("HGET", "tether:{d:" + device.id() + "}:owner", "gatewayId"));
        newer.disconnect().join();
    }

    private static void subscribe(Mqtt5AsyncClient client, Api.Device device, LinkedBlockingQueue<String> received) {
        client.subscribeWith().topicFilter("devices/" + device.id() + "/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(publish -> received.add(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                .send().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
