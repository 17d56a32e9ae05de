package io.tether.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks as a backend receives them, on an HTTP server of this test: signed the Standard Webhooks way, in order per
 * device, retried while the receiver answers 500, nothing lost when fanout restarts in the middle, dead letters that
 * can be inspected and replayed, and a webhook of an API key that gets only that key's messages.
 */
class WebhooksIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TetherStack stack;
    private static Api api;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
        stack.webhooks();
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    private static JsonPath createWebhook(String key, Map<String, Object> body) {
        return given().baseUri(stack.webhooks().baseUrl()).header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(body).post("/v1/webhooks").then().statusCode(201).extract().jsonPath();
    }

    private static JsonPath webhookApi(String path) {
        return given().baseUri(stack.webhooks().baseUrl()).header("Authorization", "Bearer " + TetherStack.API_KEY)
                .get(path).then().statusCode(200).extract().jsonPath();
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** Standard Webhooks verification, written from the specification: HMAC-SHA256 over id.timestamp.body. */
    private static void assertSigned(WebhookReceiver.Received request, String secret) throws Exception {
        String id = request.header("webhook-id");
        String timestamp = request.header("webhook-timestamp");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal((id + "." + timestamp + "." + request.body()).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, request.header("webhook-signature"), "signature of " + id);
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) < 300, "timestamp within 5 minutes");
        assertEquals(json(request.body()).get("id").asText(), id);
    }

    /** The message statuses a device's events said, in the order they were accepted: "m<payload> <status>". */
    private static List<String> statuses(String path, String deviceId, Map<String, String> payloadOf) {
        List<String> out = new ArrayList<>();
        for (WebhookReceiver.Received request : receiver.accepted(path)) {
            JsonNode event = json(request.body());
            if (event.get("type").asText().equals("message.status") && event.get("data").get("deviceId").asText().equals(deviceId)) {
                out.add(payloadOf.get(event.get("data").get("messageId").asText()) + " " + event.get("data").get("status").asText());
            }
        }
        return out;
    }

    @Test
    void eventsArriveSignedInOrderPerDeviceRetriedAfterFailuresAndNoneIsLostAcrossAFanoutRestart() throws Exception {
        String app = "com.example.hooks" + System.nanoTime();
        String path = "/hooks/" + app;
        receiver.failFirst(path, 3);
        JsonPath webhook = createWebhook(TetherStack.API_KEY, Map.of("url", receiver.url(path), "appId", app));
        String secret = webhook.getString("secret");
        assertTrue(secret.startsWith("whsec_"));
        Api.Device tv = api.registerInApp("tvos", app);
        Api.Device phone = api.registerInApp("ios", app);
        Map<String, String> payloadOf = new java.util.HashMap<>();

        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            if (i == 4) {
                stack.fanout().restart(); // SIGTERM, then start again, between two messages to each device
            }
            for (Api.Device device : List.of(tv, phone)) {
                payloadOf.put(api.sendToDevice(device.id(), "m" + i), "m" + i);
            }
            expected.add("m" + i + " queued");
        }
        for (int i = 1; i <= 6; i++) {
            expected.add("m" + i + " delivered");
        }
        try (TestDevice tvClient = TestDevice.connect(tv, stack.gateway().mqttPort());
                TestDevice phoneClient = TestDevice.connect(phone, stack.gateway().mqttPort())) {
            await().atMost(DEADLINE).until(() -> statuses(path, tv.id(), payloadOf).size() >= 12
                    && statuses(path, phone.id(), payloadOf).size() >= 12);
        }

        assertEquals(expected, statuses(path, tv.id(), payloadOf), "the tv's events, in order");
        assertEquals(expected, statuses(path, phone.id(), payloadOf), "the phone's events, in order");
        for (WebhookReceiver.Received request : receiver.received(path)) {
            assertSigned(request, secret);
            assertEquals(app, json(request.body()).get("data").get("appId").asText());
        }
        assertTrue(receiver.accepted(path).stream().map(r -> json(r.body())).anyMatch(e -> e.get("type").asText().equals("device.presence")
                && e.get("data").get("state").asText().equals("LIVE") && e.get("data").get("deviceId").asText().equals(tv.id())
                && e.get("data").get("epoch").asLong() > 0), "settled presence arrives too");

        // The receiver's failures are in the delivery log, and the events they hit were delivered afterwards.
        List<Map<String, Object>> log = webhookApi("/v1/webhooks/" + webhook.getString("id") + "/deliveries?limit=1000").getList("items");
        List<Map<String, Object>> failed = log.stream().filter(a -> "retrying".equals(a.get("outcome"))).toList();
        assertEquals(3, failed.size(), "three attempts were answered 500");
        for (Map<String, Object> attempt : failed) {
            assertEquals(500, attempt.get("httpStatus"));
            assertTrue(log.stream().anyMatch(a -> a.get("eventId").equals(attempt.get("eventId")) && "delivered".equals(a.get("outcome"))));
        }
    }

    @Test
    void eventsAReceiverNeverTookBecomeDeadLettersThatCanBeReplayed() throws Exception {
        String app = "com.example.deadhooks" + System.nanoTime();
        String path = "/dead/" + app;
        receiver.broken(path, true);
        String id = createWebhook(TetherStack.API_KEY, Map.of("url", receiver.url(path), "appId", app, "events", List.of("message.status")))
                .getString("id");
        Api.Device tv = api.registerInApp("tvos", app);
        String messageId = api.sendToDevice(tv.id(), "never taken");

        await().atMost(TetherStack.WEBHOOK_GIVE_UP.plus(DEADLINE)).until(() ->
                !webhookApi("/v1/webhooks/" + id + "/dead-letters").getList("items").isEmpty());
        JsonPath dead = webhookApi("/v1/webhooks/" + id + "/dead-letters");
        assertEquals(tv.id(), dead.getString("items[0].entry.deviceId"));
        assertTrue(dead.getString("items[0].entry.body").contains(messageId));
        assertTrue(dead.getInt("items[0].attempts") > 1, "it was retried before giving up");
        assertTrue(receiver.accepted(path).isEmpty());

        receiver.broken(path, false);
        given().baseUri(stack.webhooks().baseUrl()).header("Authorization", "Bearer " + TetherStack.API_KEY).contentType(ContentType.JSON)
                .body(Map.of()).post("/v1/webhooks/" + id + "/dead-letters/replay").then().statusCode(200).body("replayed",
                        org.hamcrest.Matchers.equalTo(1));
        await().atMost(DEADLINE).until(() -> receiver.accepted(path).stream().anyMatch(r -> r.body().contains(messageId)));
        assertTrue(webhookApi("/v1/webhooks/" + id + "/dead-letters").getList("items").isEmpty());
    }

    @Test
    void aWebhookOfAnApiKeyGetsTheStatusOfThatKeysMessagesOnly() {
        String path = "/key/" + System.nanoTime();
        String key = api.createKey("hooks-" + System.nanoTime(), List.of("messages:send", "webhooks:manage"), null);
        createWebhook(key, Map.of("url", receiver.url(path)));
        Api.Device tv = api.register("tvos");
        String other = api.sendToDevice(tv.id(), "sent with another key");
        String own = api.fanout(key).body(Map.of("to", Map.of("device", tv.id()), "payload", "sent with the key")).post("/v1/messages")
                .then().statusCode(202).extract().jsonPath().getString("messageId");

        await().atMost(DEADLINE).until(() -> receiver.accepted(path).stream().anyMatch(r -> r.body().contains(own)));
        assertTrue(receiver.accepted(path).stream().noneMatch(r -> r.body().contains(other)));
        assertTrue(receiver.accepted(path).stream().allMatch(r -> json(r.body()).get("type").asText().equals("message.status")));
    }
}
