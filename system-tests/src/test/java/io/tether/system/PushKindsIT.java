package io.tether.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live Activities and VoIP through the whole system as it runs today: tokens set through the registry's REST API,
 * messages through fanout's, pushes through push-service to the local APNs (Pushy's mock over TLS), statuses back.
 * The device never connects, so routing sends its messages to push.
 */
class PushKindsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static TetherStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
    }

    @Test
    void liveActivityUpdateAndVoipReachTheirOwnTokensAndTopics() {
        Api.Device device = api.registerWithPushToken("ios");
        String activityToken = "a1".repeat(32);
        String voipToken = "b2".repeat(32);
        putToken(device.id(), "/push-tokens/live-activities/order-7", activityToken);
        putToken(device.id(), "/push-tokens/voip", voipToken);

        String update = api.send(Map.of("to", Map.of("device", device.id(), "activity", "order-7"),
                "push", Map.of("liveActivity", Map.of("event", "update", "timestamp", 1_800_000_000L, "contentState", Map.of("eta", 5)))));
        String call = api.send(Map.of("to", Map.of("device", device.id()), "payload", "Bob calling", "push", Map.of("pushType", "voip")));

        await().atMost(DEADLINE).until(() -> "pushed".equals(api.status(update, device.id())) && "pushed".equals(api.status(call, device.id())));
        Map<String, Object> live = received(activityToken);
        assertEquals("liveactivity", live.get("pushType"));
        assertEquals("com.example.app.push-type.liveactivity", live.get("topic"));
        assertEquals(5, live.get("priority"), "an update without an alert does not spend the priority-10 budget");
        assertEquals(Map.of("aps", Map.of("event", "update", "timestamp", 1_800_000_000, "content-state", Map.of("eta", 5))),
                live.get("payload"));
        Map<String, Object> voip = received(voipToken);
        assertEquals("voip", voip.get("pushType"));
        assertEquals("com.example.app.voip", voip.get("topic"));
    }

    private static void putToken(String deviceId, String path, String token) {
        given().baseUri(stack.registryUrl()).header("Authorization", "Bearer " + TetherStack.API_KEY).contentType(ContentType.JSON)
                .body(Map.of("token", token, "environment", "sandbox")).put("/v1/devices/" + deviceId + path).then().statusCode(204);
    }

    private static Map<String, Object> received(String token) {
        List<Map<String, Object>> seen = stack.apnsReceived().stream().filter(line -> token.equals(line.get("token"))).toList();
        assertEquals(1, seen.size(), seen.toString());
        return seen.get(0);
    }
}
