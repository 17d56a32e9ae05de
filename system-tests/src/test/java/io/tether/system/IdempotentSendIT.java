package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A backend that timed out and sent again with the same {@code Idempotency-Key} gets the first message's 202 and id,
 * and the device gets the message once, live or through APNs; the key holds across a fanout restart.
 */
class IdempotentSendIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Map<String, Object> ALERT = Map.of("alert", Map.of("title", "Order shipped", "body", "Once only"));
    private static TetherStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
    }

    private static Response send(String idempotencyKey, Map<String, Object> body) {
        return api.fanout(TetherStack.API_KEY).header("Idempotency-Key", idempotencyKey).body(body).post("/v1/messages");
    }

    private static String sendTwice(String key, Map<String, Object> body) {
        Response first = send(key, body);
        first.then().statusCode(202);
        Response retry = send(key, body);
        retry.then().statusCode(202);
        assertEquals(first.jsonPath().getString("messageId"), retry.jsonPath().getString("messageId"));
        assertEquals("true", retry.getHeader("Idempotent-Replayed"));
        return first.jsonPath().getString("messageId");
    }

    private static long apnsRequestsFor(String messageId) {
        return stack.apnsReceived().stream().filter(n -> String.valueOf(n.get("payload")).contains(messageId)).count();
    }

    @Test
    void aRetriedSendWithTheSameKeyIsDeliveredOnceLiveAndPushedOnce() throws Exception {
        Api.Device device = api.registerWithPushToken("ios");
        try (TestDevice phone = TestDevice.connect(device, stack.gateway().mqttPort())) {
            await().atMost(DEADLINE).until(() -> Boolean.TRUE.equals(api.presence(device.id()).get("receiving")));
            String live = sendTwice("order-42-live-" + device.id(), Map.of("to", Map.of("device", device.id()), "payload", "once", "push", ALERT));
            assertEquals("once", TestDevice.text(phone.next(DEADLINE).orElseThrow()));
            // Messages to one device arrive in order: a second copy would come before this marker.
            api.sendToDevice(device.id(), "marker");
            assertEquals("marker", TestDevice.text(phone.next(DEADLINE).orElseThrow()), "the retried message came twice");
            assertEquals(1, api.fanout(TetherStack.API_KEY).get("/v1/messages/" + live).jsonPath().getList("devices").size());

            phone.lifecycle("background");
            await().atMost(DEADLINE).until(() -> "BACKGROUND".equals(api.presence(device.id()).get("state")));
            String pushed = sendTwice("order-42-push-" + device.id(), Map.of("to", Map.of("device", device.id()), "payload", "pushed once",
                    "push", ALERT));
            String marker = api.send(Map.of("to", Map.of("device", device.id()), "payload", "marker", "push", ALERT));
            // push-service sends one device's pushes in order: once the marker's is in, any copy of the first would be.
            await().atMost(DEADLINE).until(() -> apnsRequestsFor(marker) == 1);
            assertEquals(1, apnsRequestsFor(pushed), "one APNs request for the retried message");
        }
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndAnotherApiKeyHasItsOwnKeys() {
        Api.Device device = api.register("ios");
        String key = "payment-7-" + device.id();
        String first = send(key, Map.of("to", Map.of("device", device.id()), "payload", "a")).then().statusCode(202)
                .extract().jsonPath().getString("messageId");
        send(key, Map.of("to", Map.of("device", device.id()), "payload", "b")).then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("urn:tether:problem:idempotency-key-reused"));

        String otherKey = api.createKey("idempotency-" + device.id(), java.util.List.of("messages:send"), null);
        String other = api.fanout(otherKey).header("Idempotency-Key", key).body(Map.of("to", Map.of("device", device.id()), "payload", "b"))
                .post("/v1/messages").then().statusCode(202).extract().jsonPath().getString("messageId");
        assertNotEquals(first, other, "idempotency keys belong to the API key that sent them");
    }

    @Test
    void theKeyIsRememberedAcrossAFanoutRestart() throws Exception {
        Api.Device device = api.register("ios");
        Map<String, Object> body = Map.of("to", Map.of("device", device.id()), "payload", "before the restart");
        String key = "restart-" + device.id();
        String first = send(key, body).then().statusCode(202).extract().jsonPath().getString("messageId");

        stack.fanout().restart();

        Response retry = send(key, body);
        retry.then().statusCode(202);
        assertEquals(first, retry.jsonPath().getString("messageId"));
        api.sendToDevice(device.id(), "marker");
        try (TestDevice phone = TestDevice.connect(device, stack.gateway().mqttPort())) {
            assertEquals("before the restart", TestDevice.text(phone.next(DEADLINE).orElseThrow()));
            assertEquals("marker", TestDevice.text(phone.next(DEADLINE).orElseThrow()), "the retry after the restart sent nothing");
        }
    }
}
