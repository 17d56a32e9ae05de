package io.tether.system;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Map;

/** The backend's side: the REST APIs of device-registry and fanout-service, as a backend calls them. */
public final class Api {
    private final TetherStack stack;

    public Api(TetherStack stack) {
        this.stack = stack;
    }

    /** A registered device and the MQTT credentials the registry issued. */
    public record Device(String id, String username, String password) {
    }

    public Device register(String platform) {
        return register(Map.of("platform", platform, "appId", "com.example.app"));
    }

    /** A device of another app than the default one. */
    public Device registerInApp(String platform, String appId) {
        return register(Map.of("platform", platform, "appId", appId));
    }

    /** A device with an APNs token (random, sandbox), so it can be reached by push. */
    public Device registerWithPushToken(String platform) {
        byte[] token = new byte[32];
        new java.security.SecureRandom().nextBytes(token);
        return register(Map.of("platform", platform, "appId", "com.example.app",
                "pushToken", java.util.HexFormat.of().formatHex(token), "pushEnvironment", "sandbox"));
    }

    public Device register(Map<String, Object> body) {
        JsonPath created = given().baseUri(stack.registryUrl())
                .header("Authorization", "Bearer " + TetherStack.API_KEY)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/devices")
                .then().statusCode(201)
                .extract().jsonPath();
        return new Device(created.getString("id"), created.getString("mqtt.username"), created.getString("mqtt.password"));
    }

    /** Sends a message and returns its id (asserts 202). */
    public String send(Map<String, Object> body) {
        return given().baseUri(stack.fanoutUrl())
                .header("Authorization", "Bearer " + TetherStack.API_KEY)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/messages")
                .then().statusCode(202)
                .extract().jsonPath().getString("messageId");
    }

    public String sendToDevice(String deviceId, String payload) {
        return send(Map.of("to", Map.of("device", deviceId), "payload", payload));
    }

    /** The full status entry of a message for one device (status, route, reason, timestamps). */
    public Map<String, Object> statusEntry(String messageId, String deviceId) {
        return given().baseUri(stack.fanoutUrl())
                .header("Authorization", "Bearer " + TetherStack.API_KEY)
                .get("/v1/messages/" + messageId)
                .then().statusCode(200)
                .extract().jsonPath().getMap("devices.find { it.deviceId == '" + deviceId + "' }");
    }

    /** The presence the registry answers for a device ({@code GET /v1/devices/{id}/presence}). */
    public Map<String, Object> presence(String deviceId) {
        return given().baseUri(stack.registryUrl())
                .header("Authorization", "Bearer " + TetherStack.API_KEY)
                .get("/v1/devices/" + deviceId + "/presence")
                .then().statusCode(200)
                .extract().jsonPath().getMap("");
    }

    /** Creates an API key with the bootstrap key; answers the key. */
    public String createKey(String name, java.util.List<String> scopes, java.util.List<String> apps) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "scopes", scopes));
        if (apps != null) {
            body.put("apps", apps);
        }
        return given().baseUri(stack.registryUrl())
                .header("Authorization", "Bearer " + TetherStack.API_KEY)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/api-keys")
                .then().statusCode(201)
                .extract().jsonPath().getString("key");
    }

    /** Requests to fanout-service with an API key. */
    public io.restassured.specification.RequestSpecification fanout(String key) {
        return given().baseUri(stack.fanoutUrl()).header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    /** Requests to device-registry with an API key. */
    public io.restassured.specification.RequestSpecification registry(String key) {
        return given().baseUri(stack.registryUrl()).header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    /** The status of a message for one device, or null while it has none. */
    public String status(String messageId, String deviceId) {
        JsonPath status = given().baseUri(stack.fanoutUrl())
                .header("Authorization", "Bearer " + TetherStack.API_KEY)
                .get("/v1/messages/" + messageId)
                .then().statusCode(200)
                .extract().jsonPath();
        return status.getString("devices.find { it.deviceId == '" + deviceId + "' }.status");
    }
}
