package io.tether.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.restassured.http.ContentType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5 properties with HiveMQ's client: what a device sets reaches backends in Kafka headers, a backend's answer
 * carries its properties and the request's Correlation Data back (request/response), and every delivery tells the device
 * how long the message has left (Message Expiry Interval), less the longer it waited.
 */
class MqttPropertiesIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static TetherStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
    }

    private static Mqtt5AsyncClient online(Api.Device device, LinkedBlockingQueue<Mqtt5Publish> inbox) {
        Mqtt5AsyncClient client = MqttSessionsIT.v5(device, stack.gateway().mqttPort(), inbox);
        MqttSessionsIT.connect(client, device, true, 0);
        client.subscribeWith().topicFilter("devices/" + device.id() + "/#").qos(MqttQos.AT_LEAST_ONCE).send().join();
        await().atMost(DEADLINE).until(() -> "1".equals(stack.presence(device.id()).get("receiving")));
        return client;
    }

    private static Mqtt5Publish next(LinkedBlockingQueue<Mqtt5Publish> inbox) throws InterruptedException {
        return MqttSessionsIT.next(inbox);
    }

    @Test
    void aRequestsPropertiesReachKafkaAndTheBackendsReplyCarriesItsPropertiesAndTheCorrelationDataBack() throws Exception {
        Api.Device device = api.register("ios");
        LinkedBlockingQueue<Mqtt5Publish> inbox = new LinkedBlockingQueue<>();
        Mqtt5AsyncClient client = online(device, inbox);
        byte[] correlation = {0, 7, (byte) 0xfe, 42};
        String replyTopic = "devices/" + device.id() + "/replies/17";

        try (var upstream = stack.upstreamConsumer()) {
            // GIVEN the device asks something, expecting the answer on replyTopic
            client.publishWith().topic("devices/" + device.id() + "/requests").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{\"q\":\"weather\"}".getBytes(StandardCharsets.UTF_8)).contentType("application/json")
                    .userProperties().add("x-app-version", "4.2").add("x-tag", "a").add("x-tag", "b").applyUserProperties()
                    .responseTopic(replyTopic).correlationData(correlation)
                    .send().orTimeout(10, TimeUnit.SECONDS).join();

            // THEN the backend reads all of it from the record's headers
            List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
            await().atMost(DEADLINE).until(() -> {
                upstream.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (device.id().equals(r.key())) {
                        mine.add(r);
                    }
                });
                return !mine.isEmpty();
            });
            ConsumerRecord<String, byte[]> request = mine.get(0);
            assertEquals("4.2", header(request, "mqtt-user-x-app-version"));
            List<String> tags = new ArrayList<>();
            request.headers().headers("mqtt-user-x-tag").forEach(h -> tags.add(new String(h.value(), StandardCharsets.UTF_8)));
            assertEquals(List.of("a", "b"), tags, "a repeated user property stays repeated, in order");
            assertEquals(replyTopic, header(request, "mqtt-response-topic"));
            assertArrayEquals(correlation, request.headers().lastHeader("mqtt-correlation-data").value());
            assertEquals("application/json", header(request, "content-type"));

            // WHEN it answers by REST on the response topic (its subtopic), with the request's correlation data
            String subtopic = header(request, "mqtt-response-topic").substring(("devices/" + device.id() + "/").length());
            String answer = given().baseUri(stack.fanoutUrl()).header("Authorization", "Bearer " + TetherStack.API_KEY)
                    .contentType(ContentType.JSON)
                    .body(Map.of("to", Map.of("device", device.id()), "subtopic", subtopic, "payload", Map.of("forecast", "sunny"),
                            "properties", Map.of("x-kind", "reply"),
                            "correlationData", Base64.getEncoder().encodeToString(request.headers().lastHeader("mqtt-correlation-data").value())))
                    .post("/v1/messages").then().statusCode(202).extract().jsonPath().getString("messageId");

            // THEN the device gets the answer with the backend's properties and its own correlation data
            Mqtt5Publish reply = next(inbox);
            assertEquals(replyTopic, reply.getTopic().toString());
            assertEquals("{\"forecast\":\"sunny\"}", new String(reply.getPayloadAsBytes(), StandardCharsets.UTF_8));
            assertEquals("reply", TestDevice.userProperty(reply, "x-kind").orElseThrow());
            assertEquals(answer, TestDevice.userProperty(reply, "tether-message-id").orElseThrow());
            assertEquals(ByteBuffer.wrap(correlation), reply.getCorrelationData().orElseThrow());
            assertEquals("application/json", reply.getContentType().orElseThrow().toString());
        }
        client.disconnect().join();
    }

    @Test
    void aBackendsRequestCarriesItsResponseTopicToTheDevice() throws Exception {
        Api.Device device = api.register("ios");
        LinkedBlockingQueue<Mqtt5Publish> inbox = new LinkedBlockingQueue<>();
        Mqtt5AsyncClient client = online(device, inbox);

        given().baseUri(stack.fanoutUrl()).header("Authorization", "Bearer " + TetherStack.API_KEY).contentType(ContentType.JSON)
                .body(Map.of("to", Map.of("device", device.id()), "payload", "are you there?",
                        "responseTopic", "devices/" + device.id() + "/answers/9", "correlationData", "AQI="))
                .post("/v1/messages").then().statusCode(202);

        Mqtt5Publish request = next(inbox);
        assertEquals("devices/" + device.id() + "/answers/9", request.getResponseTopic().orElseThrow().toString());
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2}), request.getCorrelationData().orElseThrow());
        client.disconnect().join();
    }

    @Test
    void theMessageExpiryIntervalIsTheTimeLeftSoItIsShorterTheLongerTheMessageWaited() throws Exception {
        Api.Device device = api.register("ios");
        String waited = api.send(Map.of("to", Map.of("device", device.id()), "payload", "waited", "ttl", 600));
        long acceptedAt = ((Number) given().baseUri(stack.fanoutUrl()).header("Authorization", "Bearer " + TetherStack.API_KEY)
                .get("/v1/messages/" + waited).then().statusCode(200).extract().path("acceptedAt")).longValue();
        // The device comes online 3 s after the message was accepted (a condition on the clock, with a deadline).
        await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() >= acceptedAt + 3_000);

        LinkedBlockingQueue<Mqtt5Publish> inbox = new LinkedBlockingQueue<>();
        Mqtt5AsyncClient client = online(device, inbox);
        Mqtt5Publish first = next(inbox);
        api.send(Map.of("to", Map.of("device", device.id()), "payload", "fresh", "ttl", 600));
        Mqtt5Publish fresh = next(inbox);

        long waitedExpiry = first.getMessageExpiryInterval().orElseThrow();
        long freshExpiry = fresh.getMessageExpiryInterval().orElseThrow();
        assertEquals("waited", new String(first.getPayloadAsBytes(), StandardCharsets.UTF_8));
        assertTrue(waitedExpiry <= 597, "600 s less the 3 s it waited at least: " + waitedExpiry);
        assertTrue(freshExpiry >= 598 && freshExpiry <= 600, "sent a moment ago: " + freshExpiry);
        assertTrue(freshExpiry > waitedExpiry);
        client.disconnect().join();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
