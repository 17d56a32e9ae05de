package io.tether.registry.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The registry's REST API as the tests call it. */
public final class TestApi {
    public static final String BOOTSTRAP_KEY = "registry-test-bootstrap-key";
    public static final String PROBLEM_JSON = "application/problem+json";

    private TestApi() {
    }

    /** The bootstrap key: every scope. */
    public static RequestSpecification admin() {
        return bearer(BOOTSTRAP_KEY);
    }

    public static RequestSpecification bearer(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    public static RequestSpecification basic(String deviceId, String password) {
        String encoded = Base64.getEncoder().encodeToString((deviceId + ":" + password).getBytes(StandardCharsets.UTF_8));
        return given().header("Authorization", "Basic " + encoded).contentType(ContentType.JSON);
    }

    public static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON);
    }

    /** A new stored API key with these scopes, created through the API. */
    public static String key(String... scopes) {
        return admin().body(Map.of("name", "test-" + UUID.randomUUID(), "scopes", List.of(scopes)))
                .post("/v1/api-keys").then().statusCode(201).extract().path("key");
    }

    /** A registered device: its id and MQTT password. */
    public record Registered(String id, String password) {
    }

    public static Registered device(Map<String, Object> body) {
        ExtractableResponse<Response> created = admin().body(body).post("/v1/devices").then().statusCode(201).extract();
        return new Registered(created.path("id"), created.path("mqtt.password"));
    }

    public static Registered device(String platform, String appId, String userId) {
        return userId == null
                ? device(Map.of("platform", platform, "appId", appId))
                : device(Map.of("platform", platform, "appId", appId, "userId", userId));
    }

    /** A fresh name for an app or user, so tests sharing one Redis do not see each other's devices. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
