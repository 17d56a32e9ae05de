package io.tether.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first end-to-end path with every part real: register over REST, connect over MQTT, publish upstream
 * into Kafka, send downstream over REST to the device, and see the delivery status.
 */
class FirstPathIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static TetherStack stack;
    private static Api api;

    @BeforeAll
    static void startStack() {
        stack = TetherStack.shared();
        api = new Api(stack);
    }

    @Test
    void registeredDeviceReceivesAMessageLiveAndItsStatusBecomesDelivered() throws Exception {
        Api.Device device = api.register("ios");
        try (TestDevice phone = TestDevice.connect(device, stack.gateway().mqttPort())) {
            await().atMost(DEADLINE).until(() -> "1".equals(stack.presence(device.id()).get("receiving")));
            assertEquals("LIVE", stack.presence(device.id()).get("state"));

            String messageId = api.sendToDevice(device.id(), "hello phone");

            Mqtt5Publish received = phone.next(DEADLINE).orElseThrow(() -> new AssertionError("nothing delivered"));
            assertEquals("devices/" + device.id() + "/messages", received.getTopic().toString());
            assertEquals("hello phone", TestDevice.text(received));
            assertEquals(messageId, TestDevice.userProperty(received, "tether-message-id").orElseThrow());
            await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(messageId, device.id())));
        }
        await().atMost(DEADLINE).until(() -> "OFFLINE".equals(stack.presence(device.id()).get("state")));
    }

    @Test
    void qos1PublishLandsInKafkaKeyedByDeviceWithPayloadUntouched() {
        Api.Device device = api.register("macos");
        byte[] payload = new byte[] {0, 1, 2, (byte) 0xff, 'x'};
        try (TestDevice mac = TestDevice.connect(device, stack.gateway().mqttPort());
                KafkaConsumer<String, byte[]> upstream = stack.upstreamConsumer()) {
            // publish() returns after PUBACK, which the gateway sends only once Kafka has the record.
            mac.publish("devices/" + device.id() + "/telemetry", payload);

            List<ConsumerRecord<String, byte[]>> mine = new java.util.ArrayList<>();
            await().atMost(DEADLINE).until(() -> {
                upstream.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (device.id().equals(r.key())) {
                        mine.add(r);
                    }
                });
                return !mine.isEmpty();
            });
            ConsumerRecord<String, byte[]> record = mine.get(0);
            assertArrayEquals(payload, record.value());
            assertEquals("devices/" + device.id() + "/telemetry", header(record, "tether-mqtt-topic"));
            assertEquals("1", header(record, "tether-qos"));
            assertEquals("gw-a", header(record, "tether-gateway-id"));
            assertTrue(header(record, "tether-message-id").startsWith("msg_"));
        }
    }

    @Test
    void messageToAnOfflineDeviceIsQueuedAndDeliveredWhenItConnects() throws Exception {
        Api.Device device = api.register("tvos");
        String messageId = api.sendToDevice(device.id(), "while you were away");
        await().atMost(DEADLINE).until(() -> "queued".equals(api.status(messageId, device.id())));

        try (TestDevice tv = TestDevice.connect(device, stack.gateway().mqttPort())) {
            Mqtt5Publish received = tv.next(DEADLINE).orElseThrow(() -> new AssertionError("inbox not drained"));
            assertEquals("while you were away", TestDevice.text(received));
            await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(messageId, device.id())));
        }
    }

    @Test
    void lateCloseOfAnOlderConnectionLeavesTheDevicePresent() throws Exception {
        Api.Device device = api.register("ios");
        TestDevice first = TestDevice.connect(device, stack.gateway().mqttPort());
        await().atMost(DEADLINE).until(() -> "1".equals(stack.presence(device.id()).get("receiving")));
        String firstEpoch = stack.presence(device.id()).get("epoch");

        // Same client id again: the gateway takes the session over and closes the first connection.
        try (TestDevice second = TestDevice.connect(device, stack.gateway().mqttPort())) {
            await().atMost(DEADLINE).until(() -> !first.client().getState().isConnected());
            await().atMost(DEADLINE).until(() -> "1".equals(stack.presence(device.id()).get("receiving"))
                    && !firstEpoch.equals(stack.presence(device.id()).get("epoch")));
            Map<String, String> presence = stack.presence(device.id());
            assertEquals("LIVE", presence.get("state"), "the first connection's close must not mark the device offline");
            assertNotEquals(firstEpoch, presence.get("epoch"));

            String messageId = api.sendToDevice(device.id(), "to the newer connection");
            assertEquals("to the newer connection", TestDevice.text(second.next(DEADLINE).orElseThrow()));
            await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(messageId, device.id())));
            assertEquals("LIVE", stack.presence(device.id()).get("state"));
        }
    }

    @Test
    void wrongPasswordIsRefusedWithNotAuthorizedOnMqtt5And311() {
        Api.Device device = api.register("ios");
        var v5 = MqttClient.builder().useMqttVersion5().identifier(device.id())
                .serverHost("127.0.0.1").serverPort(stack.gateway().mqttPort()).buildBlocking();
        Mqtt5ConnAckException refused5 = assertThrows(Mqtt5ConnAckException.class, () -> v5.connectWith()
                .simpleAuth().username(device.id()).password("wrong".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send());
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refused5.getMqttMessage().getReasonCode());

        var v3 = MqttClient.builder().useMqttVersion3().identifier(device.id())
                .serverHost("127.0.0.1").serverPort(stack.gateway().mqttPort()).buildBlocking();
        Mqtt3ConnAckException refused3 = assertThrows(Mqtt3ConnAckException.class, () -> v3.connectWith()
                .simpleAuth().username(device.id()).password("wrong".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send());
        assertEquals(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED, refused3.getMqttMessage().getReturnCode());
    }

    @Test
    void invalidMessageIsA400ProblemNamingTheFields() {
        given().baseUri(stack.fanoutUrl())
                .header("Authorization", "Bearer " + TetherStack.API_KEY)
                .contentType(ContentType.JSON)
                .body(Map.of("to", Map.of(), "ttl", -1))
                .post("/v1/messages")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("to", "payload", "ttl"));
    }

    @Test
    void messagesApiRequiresTheApiKey() {
        given().baseUri(stack.fanoutUrl())
                .contentType(ContentType.JSON)
                .body(Map.of("to", Map.of("device", "abc"), "payload", "x"))
                .post("/v1/messages")
                .then().statusCode(401)
                .body("status", equalTo(401));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
