package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The device HTTPS fetch with every part real: messages waiting for a device that has no MQTT connection are read
 * and acknowledged over HTTPS (device credentials, or the fetch token of a push), become delivered by route fetch,
 * and never arrive again over MQTT.
 */
class DeviceFetchIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TetherStack stack;
    private static Api api;
    private static DeviceHttps https;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
        https = new DeviceHttps(stack);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static void awaitStatus(String messageId, String deviceId, String status) {
        await().atMost(DEADLINE).until(() -> status.equals(api.status(messageId, deviceId)));
    }

    @Test
    void fetchedAndAcknowledgedMessagesAreDeliveredByFetchAndNeverArriveOverMqtt() throws Exception {
        Api.Device device = api.register("ios");
        String first = api.sendToDevice(device.id(), "first");
        String second = api.sendToDevice(device.id(), "second");
        awaitStatus(second, device.id(), "queued");

        HttpResponse<String> fetched = https.get("/v1/devices/" + device.id() + "/messages", DeviceHttps.basic(device));
        assertEquals(200, fetched.statusCode(), fetched.body());
        JsonNode messages = json(fetched).get("messages");
        assertEquals(2, messages.size());
        assertEquals(first, messages.get(0).get("messageId").asText(), "in the order they were sent");
        assertEquals("first", new String(Base64.getDecoder().decode(messages.get(0).get("payloadBase64").asText()), StandardCharsets.UTF_8));
        assertEquals(second, messages.get(1).get("messageId").asText());

        HttpResponse<String> acked = https.post("/v1/devices/" + device.id() + "/messages/ack", DeviceHttps.basic(device),
                JSON.writeValueAsString(Map.of("messageIds", List.of(first, second, "msg_not_this_devices"))));
        assertEquals(200, acked.statusCode(), acked.body());
        assertEquals(List.of(first, second), JSON.convertValue(json(acked).get("acknowledged"), List.class));
        assertEquals(List.of("msg_not_this_devices"), JSON.convertValue(json(acked).get("unknown"), List.class));
        for (String id : List.of(first, second)) {
            Map<String, Object> entry = api.statusEntry(id, device.id());
            assertEquals("delivered", entry.get("status"));
            assertEquals("fetch", entry.get("route"));
        }
        assertEquals(0, json(https.get("/v1/devices/" + device.id() + "/messages", DeviceHttps.basic(device))).get("messages").size());

        // The app comes to the foreground: only what it has not fetched arrives over MQTT.
        try (TestDevice phone = TestDevice.connect(device, stack.gateway().mqttPort())) {
            String marker = api.sendToDevice(device.id(), "after the fetch");
            Mqtt5Publish next = phone.next(DEADLINE).orElseThrow();
            assertEquals("after the fetch", TestDevice.text(next), "an acknowledged message must not arrive again over MQTT");
            awaitStatus(marker, device.id(), "delivered");
            assertTrue(phone.drain().isEmpty());
        }
    }

    @Test
    void aWrongPasswordIsRefusedWith401ProblemJson() throws Exception {
        Api.Device device = api.register("ios");
        HttpResponse<String> refused = https.get("/v1/devices/" + device.id() + "/messages",
                DeviceHttps.basic(new Api.Device(device.id(), device.username(), "not-the-password")));
        assertEquals(401, refused.statusCode());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        assertEquals("urn:tether:problem:unauthorized", json(refused).get("type").asText());
        assertTrue(refused.headers().allValues("WWW-Authenticate").stream().anyMatch(v -> v.startsWith("Basic")));
        assertEquals(401, https.get("/v1/devices/" + device.id() + "/messages", null).statusCode());
    }

    @Test
    void anotherDevicesMessagesAreNotFound() throws Exception {
        Api.Device mine = api.register("ios");
        Api.Device theirs = api.register("ios");
        api.sendToDevice(theirs.id(), "not for you");
        HttpResponse<String> refused = https.get("/v1/devices/" + theirs.id() + "/messages", DeviceHttps.basic(mine));
        assertEquals(404, refused.statusCode());
        assertEquals("urn:tether:problem:not-found", json(refused).get("type").asText());
        HttpResponse<String> ack = https.post("/v1/devices/" + theirs.id() + "/messages/ack", DeviceHttps.basic(mine),
                "{\"messageIds\":[\"msg_x\"]}");
        assertEquals(404, ack.statusCode());
    }

    @Test
    void thePushOfAMessageTooLargeForApnsCarriesAFetchTokenForItsOwnDeviceOnly() throws Exception {
        Api.Device device = api.registerWithPushToken("ios");
        Api.Device other = api.register("ios");
        String big = "x".repeat(6000); // over APNs' 4 KB: the push says fetch, with a token
        String messageId = api.send(Map.of("to", Map.of("device", device.id()), "payload", big,
                "push", Map.of("alert", Map.of("title", "A long one"))));
        await().atMost(DEADLINE).until(() -> stack.apnsReceived().stream().anyMatch(n -> String.valueOf(n.get("payload")).contains(messageId)));
        Object payload = stack.apnsReceived().stream().filter(n -> String.valueOf(n.get("payload")).contains(messageId))
                .findFirst().orElseThrow().get("payload");
        JsonNode tether = JSON.<JsonNode>valueToTree(payload).get("tether");
        assertTrue(tether.get("fetch").asBoolean());
        String token = tether.get("fetchToken").asText();

        // What a Notification Service Extension does: one request with the token from the push.
        HttpResponse<String> fetched = https.get("/v1/devices/" + device.id() + "/messages?limit=10", "Bearer " + token);
        assertEquals(200, fetched.statusCode(), fetched.body());
        JsonNode message = json(fetched).get("messages").get(0);
        assertEquals(messageId, message.get("messageId").asText());
        assertEquals(big, new String(Base64.getDecoder().decode(message.get("payloadBase64").asText()), StandardCharsets.UTF_8));

        HttpResponse<String> elsewhere = https.get("/v1/devices/" + other.id() + "/messages", "Bearer " + token);
        assertEquals(404, elsewhere.statusCode(), "another device's token reads nothing here");
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"deviceId\":\"" + other.id() + "\",\"expiresAt\":9999999999999}").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        HttpResponse<String> tampered = https.get("/v1/devices/" + other.id() + "/messages", "Bearer " + forged);
        assertEquals(401, tampered.statusCode());
        assertTrue(json(tampered).get("detail").asText().contains("signature"), tampered.body());
    }
}
