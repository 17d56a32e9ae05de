package io.tether.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The backend's side of Tether, as any backend calls it: the registry and the messages API, with an API key. */
final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String registry;
    private final String fanout;
    private final String apiKey;

    /** A device the registry created, with the MQTT password it issued (shown once). */
    record Registered(String id, String password) {
    }

    /** What {@code GET /v1/messages/<id>} says for one device. */
    record Status(String status, String route, String reason) {
        static final Status NONE = new Status("unknown", null, null);

        boolean isFinal() {
            return List.of("delivered", "failed", "expired").contains(status);
        }

        @Override
        public String toString() {
            return status + (route == null ? "" : ", route " + route) + (reason == null ? "" : " (" + reason + ")");
        }
    }

    Api(String registry, String fanout, String apiKey) {
        this.registry = registry;
        this.fanout = fanout;
        this.apiKey = apiKey;
    }

    Registered register(String platform, String appId, String pushToken) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("platform", platform, "appId", appId));
        if (pushToken != null) {
            body.put("pushToken", pushToken);
            body.put("pushEnvironment", "sandbox");
        }
        JsonNode created = call("POST", registry + "/v1/devices", body, 201);
        return new Registered(created.path("id").asText(), created.path("mqtt").path("password").asText());
    }

    boolean hasPushToken(String deviceId) {
        return call("GET", registry + "/v1/devices/" + deviceId, null, 200).path("hasPushToken").asBoolean();
    }

    /** Sends a message ({@code body} without {@code to}) to devices; returns its message id. */
    String send(List<String> deviceIds, Map<String, Object> body) {
        Map<String, Object> request = new LinkedHashMap<>(body);
        request.put("to", deviceIds.size() == 1 ? Map.of("device", deviceIds.get(0)) : Map.of("devices", deviceIds));
        return call("POST", fanout + "/v1/messages", request, 202).path("messageId").asText();
    }

    Status status(String messageId, String deviceId) {
        for (JsonNode device : call("GET", fanout + "/v1/messages/" + messageId, null, 200).path("devices")) {
            if (device.path("deviceId").asText().equals(deviceId)) {
                return new Status(device.path("status").asText(), text(device, "route"), text(device, "reason"));
            }
        }
        return Status.NONE;
    }

    /** Every device's status of one message, by device id. */
    Map<String, Status> statuses(String messageId) {
        Map<String, Status> out = new LinkedHashMap<>();
        for (JsonNode device : call("GET", fanout + "/v1/messages/" + messageId, null, 200).path("devices")) {
            out.put(device.path("deviceId").asText(), new Status(device.path("status").asText(), text(device, "route"),
                    text(device, "reason")));
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private JsonNode call(String method, String url, Object body, int expected) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + apiKey);
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + url + ": " + response.statusCode() + " " + response.body());
            }
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
