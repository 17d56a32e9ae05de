package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
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
        other = stack.second();
    }

    private static PahoV5 connect(Api.Device device, int port) throws Exception {
        return PahoV5.connect("tcp://127.0.0.1:" + port, device, options -> { });
    }

    @Test
    void aSecondConnectionAtTheSameGatewayEndsTheFirstWith0x8e() throws Exception {
        Api.Device device = api.register("ios");
        PahoV5 first = connect(device, stack.gateway().mqttPort());
        first.client().subscribe("devices/" + device.id() + "/#", 1);

        PahoV5 second = connect(device, stack.gateway().mqttPort());

        MqttDisconnectResponse ended = first.ended().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0x8E, ended.getReturnCode());
        assertEquals("a newer connection took the session over", ended.getReasonString());
        assertTrue(second.client().isConnected());
        String messageId = api.sendToDevice(device.id(), "to the second connection");
        assertEquals("to the second connection", second.received().poll(DEADLINE.toSeconds(), TimeUnit.SECONDS),
                "the session, with its subscription, moved to the second connection");
        await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(messageId, device.id())));
        second.close();
    }

    @Test
    void aSecondConnectionAtAnotherGatewayEndsTheFirstWith0x8eToo() throws Exception {
        Api.Device device = api.register("ios");
        PahoV5 first = connect(device, stack.gateway().mqttPort());
        await().atMost(DEADLINE).until(() -> stack.gateway().id().equals(stack.presence(device.id()).get("gatewayId"))
                && "LIVE".equals(stack.presence(device.id()).get("state")));

        PahoV5 second = connect(device, other.mqttPort());

        MqttDisconnectResponse ended = first.ended().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0x8E, ended.getReturnCode());
        assertTrue(second.client().isConnected());
        await().atMost(DEADLINE).until(() -> other.id().equals(stack.presence(device.id()).get("gatewayId"))
                && "LIVE".equals(stack.presence(device.id()).get("state")));
        second.close();
    }
}
