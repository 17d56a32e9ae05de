package io.tether.system;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The backend's side: the REST APIs of device-registry and fanout-service, as a backend calls them. */
public final class Api {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
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
        JsonNode created = call("POST", stack.registryUrl() + "/v1/devices", body, 201);
        return new Device(text(created.path("id")), text(created.path("mqtt").path("username")),
                text(created.path("mqtt").path("password")));
    }

    /** Sends a message and returns its id (asserts 202). */
    public String send(Map<String, Object> body) {
        return text(call("POST", stack.fanoutUrl() + "/v1/messages", body, 202).path("messageId"));
    }

    public String sendToDevice(String deviceId, String payload) {
        return send(Map.of("to", Map.of("device", deviceId), "payload", payload));
    }

    /** The full status entry of a message for one device (status, route, reason, timestamps), or null while it has none. */
    public Map<String, Object> statusEntry(String messageId, String deviceId) {
        JsonNode entry = deviceEntry(messageId, deviceId);
        return entry == null ? null : JSON.convertValue(entry, new TypeReference<Map<String, Object>>() { });
    }

    /** The presence the registry answers for a device ({@code GET /v1/devices/{id}/presence}). */
    public Map<String, Object> presence(String deviceId) {
        return JSON.convertValue(call("GET", stack.registryUrl() + "/v1/devices/" + deviceId + "/presence", null, 200),
                new TypeReference<Map<String, Object>>() { });
    }

    /** Creates an API key with the bootstrap key; answers the key. */
    public String createKey(String name, List<String> scopes, List<String> apps) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "scopes", scopes));
        if (apps != null) {
            body.put("apps", apps);
        }
        return text(call("POST", stack.registryUrl() + "/v1/api-keys", body, 201).path("key"));
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
        JsonNode entry = deviceEntry(messageId, deviceId);
        return entry == null ? null : text(entry.path("status"));
    }

    /** A string field's value; null when it is absent or null, as RestAssured's JsonPath answered. */
    private static String text(JsonNode field) {
        return field.isMissingNode() || field.isNull() ? null : field.asText();
    }

    private JsonNode deviceEntry(String messageId, String deviceId) {
        for (JsonNode entry : call("GET", stack.fanoutUrl() + "/v1/messages/" + messageId, null, 200).path("devices")) {
            if (deviceId.equals(entry.path("deviceId").asText())) {
                return entry;
            }
        }
        return null;
    }

    /**
     * One request with the bootstrap key; fails the test unless the answer has {@code expected} status. One shared
     * client keeps its connections open, where a RestAssured request each would open one (the tests send thousands).
     */
    private static JsonNode call(String method, String url, Object body, int expected) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + TetherStack.API_KEY);
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new AssertionError(method + " " + url + ": expected status " + expected + ", got " + response.statusCode()
                        + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
