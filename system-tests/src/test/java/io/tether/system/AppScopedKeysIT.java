package io.tether.system;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A key limited to one app neither sees nor reaches another app's devices (404, as for devices that do not exist);
 * per-app quotas answer 429 with Retry-After, counted in Redis and shown as metrics; a batch gives each message its
 * own result.
 */
class AppScopedKeysIT {
    private static final String PROBLEM = "application/problem+json";
    private static TetherStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
    }

    private static Map<String, Object> toDevice(String id, String payload) {
        return Map.of("to", Map.of("device", id), "payload", payload);
    }

    @Test
    void aKeyOfOneAppCannotSeeRegisterOrReachAnotherAppsDevices() {
        String mine = "com.example.mine" + System.nanoTime();
        String theirs = "com.example.theirs" + System.nanoTime();
        String key = api.createKey("team-" + mine, List.of("messages:send", "devices:read", "devices:write"), List.of(mine));
        Api.Device own = api.registerInApp("ios", mine);
        Api.Device foreign = api.registerInApp("ios", theirs);

        api.registry(key).get("/v1/devices/" + own.id()).then().statusCode(200);
        api.registry(key).get("/v1/devices/" + foreign.id()).then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("no such device"));
        api.registry(key).get("/v1/devices/" + foreign.id() + "/presence").then().statusCode(404);
        api.registry(key).get("/v1/devices/" + foreign.id() + "/grants").then().statusCode(404);
        api.registry(key).post("/v1/devices/" + foreign.id() + "/credentials/rotate").then().statusCode(404);
        api.registry(key).delete("/v1/devices/" + foreign.id()).then().statusCode(404);
        api.registry(key).get("/v1/devices?limit=500").then().statusCode(200)
                .body("items.id", hasItem(own.id())).body("items.id", not(hasItem(foreign.id())));
        api.registry(key).body(Map.of("platform", "ios", "appId", theirs)).post("/v1/devices").then().statusCode(404);
        api.registry(key).body(Map.of("platform", "ios", "appId", mine)).post("/v1/devices").then().statusCode(201);
        api.registry(key).body(Map.of("deviceIds", List.of(own.id(), foreign.id()))).post("/v1/presence/query").then().statusCode(200)
                .body("items.deviceId", equalTo(List.of(own.id()))).body("unknown", equalTo(List.of(foreign.id())));

        api.fanout(key).body(toDevice(own.id(), "to my app")).post("/v1/messages").then().statusCode(202);
        api.fanout(key).body(toDevice(foreign.id(), "to theirs")).post("/v1/messages").then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("unknown device(s): " + foreign.id()));
        api.fanout(key).body(Map.of("to", Map.of("app", theirs), "payload", "x")).post("/v1/messages").then().statusCode(404);
        String sentByOthers = api.sendToDevice(foreign.id(), "not for the team to see");
        api.fanout(key).get("/v1/messages/" + sentByOthers).then().statusCode(404);
        api.registry(key).get("/v1/api-keys").then().statusCode(403);
    }

    @Test
    void anAppOverItsQuotaGets429WithRetryAfterAndTheRefusalIsCounted() {
        String app = "com.example.quota" + System.nanoTime();
        api.registry(TetherStack.API_KEY).body(Map.of("messagesPerDay", 3, "devices", 1)).put("/v1/quotas/" + app).then().statusCode(200);
        Api.Device device = api.registerInApp("ios", app);
        api.registry(TetherStack.API_KEY).body(Map.of("platform", "ios", "appId", app)).post("/v1/devices").then().statusCode(429)
                .contentType(PROBLEM).body("type", equalTo("urn:tether:problem:quota-exceeded"));

        for (int i = 0; i < 3; i++) {
            api.fanout(TetherStack.API_KEY).body(toDevice(device.id(), "m" + i)).post("/v1/messages").then().statusCode(202);
        }
        Response refused = api.fanout(TetherStack.API_KEY).body(toDevice(device.id(), "one too many")).post("/v1/messages");
        refused.then().statusCode(429).contentType(PROBLEM).body("type", equalTo("urn:tether:problem:quota-exceeded"));
        long retryAfter = Long.parseLong(refused.getHeader("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 86_400, "until the UTC day ends: " + retryAfter);
        assertEquals(1.0, Doors.metric(stack.fanout(), "tether_quota_refused_total", "app=\"" + app + "\"", "quota=\"day\""),
                "refusal counted per app");
        assertEquals(3.0, Doors.metric(stack.fanout(), "tether_app_messages_total", "app=\"" + app + "\""), "charged messages counted per app");
        api.registry(TetherStack.API_KEY).get("/v1/quotas/" + app).then().statusCode(200).body("messagesPerDay", equalTo(3));
    }

    @Test
    void aBatchGivesEachMessageItsOwnResultInOrder() throws Exception {
        Api.Device device = api.register("tvos");
        JsonPath results = api.fanout(TetherStack.API_KEY).body(Map.of("messages", List.of(
                        toDevice(device.id(), "first"),
                        Map.of("to", Map.of("device", device.id())),
                        toDevice("unknown-" + System.nanoTime(), "lost"),
                        toDevice(device.id(), "last"))))
                .post("/v1/messages/batch").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(202, 400, 404, 202), results.getList("results.status", Integer.class));
        assertEquals("urn:tether:problem:validation", results.getString("results[1].problem.type"));
        try (TestDevice tv = TestDevice.connect(device, stack.gateway().mqttPort())) {
            assertEquals("first", TestDevice.text(tv.next(java.time.Duration.ofSeconds(30)).orElseThrow()));
            assertEquals("last", TestDevice.text(tv.next(java.time.Duration.ofSeconds(30)).orElseThrow()), "sent in the batch's order");
        }
    }
}
