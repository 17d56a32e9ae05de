package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tether.testkit.RawMqtt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Persistent MQTT sessions as stock clients use them, across two gateway instances: HiveMQ's client on MQTT 5 (clean
 * start off, a Session Expiry Interval) and Eclipse Paho on MQTT 3.1.1 (clean session off). A device that subscribed
 * once, went away and reconnects to the other gateway gets Session Present = 1 and what queued meanwhile, in order,
 * without subscribing again; a clean start discards the session.
 */
class MqttSessionsIT {
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

    static Mqtt5AsyncClient v5(Api.Device device, int port, LinkedBlockingQueue<Mqtt5Publish> inbox) {
        Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(device.id())
                .serverHost("127.0.0.1").serverPort(port).buildAsync();
        // Registered before CONNECT: a resumed session delivers without a SUBSCRIBE, so no subscribe callback would see it.
        client.publishes(MqttGlobalPublishFilter.ALL, inbox::add);
        return client;
    }

    static Mqtt5ConnAck connect(Mqtt5AsyncClient client, Api.Device device, boolean cleanStart, long expirySeconds) {
        return client.connectWith().cleanStart(cleanStart).sessionExpiryInterval(expirySeconds)
                .simpleAuth().username(device.id()).password(device.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .send().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static String text(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    /** The next delivery within the deadline, or an AssertionError. */
    static Mqtt5Publish next(LinkedBlockingQueue<Mqtt5Publish> inbox) throws InterruptedException {
        Mqtt5Publish publish = inbox.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (publish == null) {
            throw new AssertionError("nothing delivered within " + DEADLINE);
        }
        return publish;
    }

    @Test
    void anMqtt5SessionResumesOnAnotherGatewayWithoutSubscribingAndGetsWhatQueuedInOrder() throws Exception {
        Api.Device device = api.register("ios");
        LinkedBlockingQueue<Mqtt5Publish> first = new LinkedBlockingQueue<>();
        Mqtt5AsyncClient onA = v5(device, stack.gateway().mqttPort(), first);
        assertFalse(connect(onA, device, false, 600).isSessionPresent());
        onA.subscribeWith().topicFilter("devices/" + device.id() + "/#").qos(MqttQos.AT_LEAST_ONCE).send().join();
        onA.disconnect().join();
        await().atMost(DEADLINE).until(() -> "OFFLINE".equals(stack.presence(device.id()).get("state")));

        List<String> sent = new ArrayList<>();
        for (String text : List.of("one", "two", "three")) {
            sent.add(api.sendToDevice(device.id(), text));
        }
        await().atMost(DEADLINE).until(() -> sent.stream().allMatch(id -> "queued".equals(api.status(id, device.id()))));

        LinkedBlockingQueue<Mqtt5Publish> second = new LinkedBlockingQueue<>();
        Mqtt5AsyncClient onB = v5(device, other.mqttPort(), second);
        Mqtt5ConnAck resumed = connect(onB, device, false, 600);

        assertTrue(resumed.isSessionPresent(), "the session stored by gw-a resumes on gw-sessions");
        assertEquals(List.of("one", "two", "three"), List.of(text(next(second)), text(next(second)), text(next(second))));
        await().atMost(DEADLINE).until(() -> sent.stream().allMatch(id -> "delivered".equals(api.status(id, device.id()))));
        assertEquals(other.id(), stack.presence(device.id()).get("gatewayId"));
        onB.disconnect().join();

        Mqtt5AsyncClient clean = v5(device, stack.gateway().mqttPort(), new LinkedBlockingQueue<>());
        assertFalse(connect(clean, device, true, 600).isSessionPresent(), "a clean start discards the session");
        assertEquals(List.of("epoch", "expiry"), sessionFields(device), "a new session, without the old subscriptions");
        clean.disconnect().join();
    }

    @Test
    void aDeliveryLeftUnacknowledgedComesAgainToTheResumedSessionWithItsPacketIdAndDupSet() throws Exception {
        Api.Device device = api.register("ios");
        String messageId;
        RawMqtt.Packet sent;
        int acknowledgedId;
        try (RawMqtt first = RawMqtt.resume(stack.gateway().mqttPort(), device.id(), device.password(), 600)) {
            assertFalse(first.connack().sessionPresent());
            first.write(RawMqtt.subscribe(1, "devices/" + device.id() + "/#"));
            assertEquals(RawMqtt.Packet.SUBACK, first.read().type());
            await().atMost(DEADLINE).until(() -> "1".equals(stack.presence(device.id()).get("receiving")));
            api.sendToDevice(device.id(), "acknowledged");
            RawMqtt.Packet acknowledged = first.read();
            acknowledgedId = acknowledged.packetId();
            first.write(RawMqtt.puback(acknowledgedId));
            messageId = api.sendToDevice(device.id(), "left unacknowledged");
            sent = first.read();
            assertEquals(RawMqtt.Packet.PUBLISH, sent.type());
            assertEquals(1, sent.qos());
            assertFalse(sent.dup(), "its first PUBLISH");
        } // gone without PUBACK or DISCONNECT
        await().atMost(DEADLINE).until(() -> "OFFLINE".equals(stack.presence(device.id()).get("state")));

        try (RawMqtt second = RawMqtt.resume(other.mqttPort(), device.id(), device.password(), 600)) {
            assertTrue(second.connack().sessionPresent());
            RawMqtt.Packet again = second.read();
            assertEquals(RawMqtt.Packet.PUBLISH, again.type());
            assertEquals(sent.topic(), again.topic());
            assertEquals(sent.packetId(), again.packetId(), "sent again with its original packet identifier [MQTT-4.4.0-1], "
                    + "not the first one free on the new connection");
            assertTrue(again.packetId() != acknowledgedId, "two messages, two identifiers");
            assertTrue(again.dup(), "and DUP set [MQTT-3.3.1-1]");
            second.write(RawMqtt.puback(again.packetId()));
            await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(messageId, device.id())));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> sessionFields(Api.Device device) {
        List<Object> flat = (List<Object>) stack.redis("HKEYS", "tether:{d:" + device.id() + "}:session");
        return flat.stream().map(String::valueOf).sorted().toList();
    }

    @Test
    void theGatewayTellsWhatItChangedOfTheAsksAndTheSessionEndsWithACleanSessionConnection() {
        Api.Device device = api.register("ios");
        Mqtt5AsyncClient client = v5(device, stack.gateway().mqttPort(), new LinkedBlockingQueue<>());
        Mqtt5ConnAck ack = client.connectWith().cleanStart(true).sessionExpiryInterval(0xFFFF_FFFFL).keepAlive(0)
                .simpleAuth().username(device.id()).password(device.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .send().orTimeout(10, TimeUnit.SECONDS).join();

        assertEquals(Duration.ofDays(7).toSeconds(), ack.getSessionExpiryInterval().orElseThrow(), "never expires: capped to 7 days");
        assertEquals(300, ack.getServerKeepAlive().orElseThrow(), "no keepalive: the gateway's maximum");
        assertEquals(1, ack.getRestrictions().getMaximumQos().getCode());
        assertFalse(ack.getRestrictions().isRetainAvailable());
        assertEquals(1_048_576, ack.getRestrictions().getMaximumPacketSize());
        client.disconnect().join();
    }

    @Test
    void anMqtt311SessionWithCleanSessionOffResumesOnAnotherGatewayWithPaho() throws Exception {
        Api.Device device = api.register("ios");
        org.eclipse.paho.client.mqttv3.MqttClient onA = paho311(device, stack.gateway().mqttPort());
        IMqttToken first = onA.connectWithResult(options311(device, false));
        assertFalse(first.getSessionPresent());
        onA.subscribe("devices/" + device.id() + "/#", 1);
        onA.disconnect();
        onA.close();
        await().atMost(DEADLINE).until(() -> "OFFLINE".equals(stack.presence(device.id()).get("state")));
        String messageId = api.sendToDevice(device.id(), "kept for the 3.1.1 session");

        org.eclipse.paho.client.mqttv3.MqttClient onB = paho311(device, other.mqttPort());
        LinkedBlockingQueue<String> arrived = new LinkedBlockingQueue<>();
        onB.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                arrived.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8) + " qos" + message.getQos());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        IMqttToken resumed = onB.connectWithResult(options311(device, false));

        assertTrue(resumed.getSessionPresent());
        assertEquals("devices/" + device.id() + "/messages kept for the 3.1.1 session qos1", arrived.poll(20, TimeUnit.SECONDS));
        await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(messageId, device.id())));
        onB.disconnect();
        onB.close();
    }

    @Test
    void qos2FromAnMqtt311ClientClosesTheConnection() throws Exception {
        Api.Device device = api.register("ios");
        org.eclipse.paho.client.mqttv3.MqttClient client = paho311(device, stack.gateway().mqttPort());
        CompletableFuture<Throwable> lost = new CompletableFuture<>();
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.complete(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(options311(device, true));

        // MQTT 3.1.1 cannot refuse a PUBLISH but by closing (Maximum QoS is an MQTT 5 property): no PUBREC comes.
        try {
            client.getTopic("devices/" + device.id() + "/exactly-once").publish("x".getBytes(StandardCharsets.UTF_8), 2, false);
        } catch (MqttException e) {
            // Paho's synchronous publish waits until it has marked the PUBLISH sent; the gateway's close can come first.
            assertEquals(MqttException.REASON_CODE_CONNECTION_LOST, e.getReasonCode(), e.toString());
            lost.complete(e);
        }

        lost.get(20, TimeUnit.SECONDS);
        client.close(true);
        await().atMost(DEADLINE).until(() -> "OFFLINE".equals(stack.presence(device.id()).get("state")));
    }

    @Test
    void aQos0SubscriptionGetsQos0DeliveriesSettledAsDelivered() throws Exception {
        Api.Device device = api.register("ios");
        LinkedBlockingQueue<Mqtt5Publish> inbox = new LinkedBlockingQueue<>();
        Mqtt5AsyncClient client = v5(device, stack.gateway().mqttPort(), inbox);
        connect(client, device, true, 0);
        client.subscribeWith().topicFilter("devices/" + device.id() + "/#").qos(MqttQos.AT_MOST_ONCE).send().join();
        await().atMost(DEADLINE).until(() -> "1".equals(stack.presence(device.id()).get("receiving")));

        String messageId = api.sendToDevice(device.id(), "at most once");

        Mqtt5Publish publish = next(inbox);
        assertEquals(MqttQos.AT_MOST_ONCE, publish.getQos());
        await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(messageId, device.id())));
        client.disconnect().join();
    }

    @Test
    void aMessageLargerThanTheClientsMaximumPacketSizeIsFailedAndTheNextOneStillArrives() throws Exception {
        Api.Device device = api.register("ios");
        LinkedBlockingQueue<Mqtt5Publish> inbox = new LinkedBlockingQueue<>();
        Mqtt5AsyncClient client = v5(device, stack.gateway().mqttPort(), inbox);
        client.connectWith().cleanStart(true).restrictions().maximumPacketSize(512).applyRestrictions()
                .simpleAuth().username(device.id()).password(device.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .send().orTimeout(10, TimeUnit.SECONDS).join();
        client.subscribeWith().topicFilter("devices/" + device.id() + "/#").qos(MqttQos.AT_LEAST_ONCE).send().join();
        await().atMost(DEADLINE).until(() -> "1".equals(stack.presence(device.id()).get("receiving")));

        String big = api.sendToDevice(device.id(), "x".repeat(600));
        String small = api.sendToDevice(device.id(), "fits");

        assertEquals("fits", text(next(inbox)));
        await().atMost(DEADLINE).until(() -> "failed".equals(api.status(big, device.id())));
        assertEquals("packet-too-large", api.statusEntry(big, device.id()).get("reason"));
        await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(small, device.id())));
        assertTrue(client.getState().isConnected(), "the client never saw a packet above its limit");
        client.disconnect().join();
    }

    private static org.eclipse.paho.client.mqttv3.MqttClient paho311(Api.Device device, int port) throws Exception {
        return new org.eclipse.paho.client.mqttv3.MqttClient("tcp://127.0.0.1:" + port, device.id(), new MemoryPersistence());
    }

    private static MqttConnectOptions options311(Api.Device device, boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setUserName(device.id());
        options.setPassword(device.password().toCharArray());
        options.setAutomaticReconnect(false);
        return options;
    }
}
