package io.tether.registry.device.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tether.contract.DeviceFields;
import io.tether.contract.DeviceId;
import io.tether.contract.RedisKeys;
import io.tether.registry.device.DeviceSecrets;
import io.tether.testkit.TetherInfraResource;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The device API against the real Redis of the testkit, checked from the outside: HTTP and Redis. */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class DeviceResourceIT {
    private static final String API_KEY = "registry-test-bootstrap-key";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String TOKEN = "0123456789abcdef".repeat(4);

    @ConfigProperty(name = "tether.redis.uri")
    String redisUri;

    private RedisClient client;
    private RedisCommands<String, String> redis;

    @BeforeEach
    void connect() {
        client = RedisClient.create(redisUri);
        redis = client.connect().sync();
    }

    @AfterEach
    void disconnect() {
        client.shutdown();
    }

    private static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + API_KEY).contentType(ContentType.JSON);
    }

    private static ExtractableResponse<Response> create(String json) {
        return api().body(json).post("/v1/devices").then().statusCode(201).extract();
    }

    @Test
    void createAnswersCredentialsAndStoresOnlyThePasswordHash() {
        ExtractableResponse<Response> created = create("""
                {"platform": "ios", "appId": "com.example.chat", "userId": "alice@example", "pushToken": "%s"}
                """.formatted(TOKEN.toUpperCase()));

        String id = created.path("id");
        String password = created.path("mqtt.password");
        assertTrue(DeviceId.isValid(id), id);
        assertEquals("/v1/devices/" + id, created.header("Location"));
        assertEquals("no-store", created.header("Cache-Control"));
        assertEquals(id, created.path("mqtt.clientId"));
        assertEquals(id, created.path("mqtt.username"));
        assertTrue(password.matches("[A-Za-z0-9_-]{43}"), "43 base64url characters");
        assertEquals("ios", created.path("platform"));
        assertEquals("com.example.chat", created.path("appId"));
        assertEquals("alice@example", created.path("userId"));
        assertEquals("production", created.path("pushEnvironment"));
        assertEquals(true, created.path("hasPushToken"));
        assertFalse(created.body().asString().contains(TOKEN), "never the raw push token");
        Instant createdAt = Instant.parse(created.path("createdAt"));

        Map<String, String> stored = redis.hgetall(RedisKeys.device(id).record());
        assertEquals(DeviceSecrets.hash(password), stored.get(DeviceFields.SECRET_HASH));
        assertFalse(stored.containsValue(password), "the password itself is never stored");
        assertEquals(id, stored.get(DeviceFields.ID));
        assertEquals("ios", stored.get(DeviceFields.PLATFORM));
        assertEquals("com.example.chat", stored.get(DeviceFields.APP_ID));
        assertEquals("alice@example", stored.get(DeviceFields.USER_ID));
        assertEquals(TOKEN, stored.get(DeviceFields.PUSH_TOKEN));
        assertEquals("production", stored.get(DeviceFields.PUSH_ENVIRONMENT));
        assertEquals(String.valueOf(createdAt.toEpochMilli()), stored.get(DeviceFields.CREATED_AT));
        // push-service compares it with APNs' token-invalidation timestamp
        assertEquals(String.valueOf(createdAt.toEpochMilli()), stored.get(DeviceFields.PUSH_TOKEN_UPDATED_AT));
        assertTrue(redis.sismember(RedisKeys.userDevices("alice@example"), id));
    }

    @Test
    void getShowsTheDeviceButNeverItsSecrets() {
        ExtractableResponse<Response> created = create("""
                {"platform": "watchos", "appId": "com.example.watch", "pushToken": "%s", "pushEnvironment": "sandbox"}
                """.formatted(TOKEN));
        String id = created.path("id");
        String password = created.path("mqtt.password");
        String secretHash = DeviceSecrets.hash(password);

        String body = api().get("/v1/devices/" + id).then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("platform", equalTo("watchos"))
                .body("appId", equalTo("com.example.watch"))
                .body("pushEnvironment", equalTo("sandbox"))
                .body("hasPushToken", equalTo(true))
                .body("createdAt", equalTo(created.path("createdAt")))
                .body("$", not(hasKey("mqtt")))
                .body("$", not(hasKey("userId")))
                .extract().asString();
        assertFalse(body.contains(password), body);
        assertFalse(body.contains(secretHash), body);
        assertFalse(body.contains(TOKEN), body);
    }

    @Test
    void aDeviceWithoutTokenHasNoPushEnvironment() {
        String id = create("{\"platform\": \"tvos\", \"appId\": \"com.example.tv\"}").path("id");
        api().get("/v1/devices/" + id).then()
                .statusCode(200)
                .body("hasPushToken", equalTo(false))
                .body("$", not(hasKey("pushEnvironment")));
    }

    @Test
    void validationErrorsNameTheFailingFields() {
        api().body("{\"appId\": \"com.example\"}").post("/v1/devices").then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:validation"))
                .body("errors.field", contains("platform"));
        api().body("{\"platform\": \"android\", \"appId\": \"com.example\"}").post("/v1/devices").then()
                .statusCode(400)
                .body("errors.field", contains("platform"))
                .body("errors[0].message", containsString("ios"));
        api().body("{\"platform\": \"ios\", \"appId\": \"com.example\", \"pushToken\": \"xyz\"}").post("/v1/devices").then()
                .statusCode(400)
                .body("errors.field", contains("pushToken"))
                .body(not(containsString("xyz")));
        api().body("""
                {"platform": "IOS", "appId": "bad app", "userId": "{u}", "pushToken": "%s", "pushEnvironment": "dev"}
                """.formatted("a".repeat(63))).post("/v1/devices").then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("appId", "platform", "pushEnvironment", "pushToken", "userId"));
    }

    @Test
    void malformedJsonIsABadRequest() {
        api().body("{\"platform\": ").post("/v1/devices").then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:malformed-json"));
        api().body("{\"platform\": [\"ios\"], \"appId\": \"a\"}").post("/v1/devices").then()
                .statusCode(400)
                .body("type", equalTo("urn:tether:problem:malformed-json"))
                .body("errors.field", contains("platform"));
    }

    @Test
    void unknownDevicesAreNotFound() {
        api().get("/v1/devices/" + DeviceId.random()).then()
                .statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:not-found"));
        api().get("/v1/devices/not%7Ba%7Ddevice").then().statusCode(404).contentType(PROBLEM_JSON);
        api().delete("/v1/devices/" + DeviceId.random()).then().statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void theApiNeedsAValidKey() {
        given().contentType(ContentType.JSON).body("{\"platform\": \"ios\", \"appId\": \"a\"}").post("/v1/devices").then()
                .statusCode(401)
                .contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("urn:tether:problem:unauthorized"));
        given().header("Authorization", "Bearer not-the-key").get("/v1/devices/" + DeviceId.random()).then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body(not(containsString("not-the-key")));
        given().header("Authorization", "Bearer not-the-key").delete("/v1/devices/" + DeviceId.random()).then()
                .statusCode(401);
    }

    @Test
    void deleteRemovesTheDeviceAndItsUserIndexEntry() {
        String user = "bob-" + DeviceId.random();
        String kept = create("{\"platform\": \"macos\", \"appId\": \"com.example.mac\", \"userId\": \"%s\"}".formatted(user)).path("id");
        String removed = create("{\"platform\": \"ipados\", \"appId\": \"com.example.pad\", \"userId\": \"%s\"}".formatted(user)).path("id");
        assertEquals(2L, redis.scard(RedisKeys.userDevices(user)));

        api().delete("/v1/devices/" + removed).then().statusCode(204);

        api().get("/v1/devices/" + removed).then().statusCode(404);
        api().delete("/v1/devices/" + removed).then().statusCode(404);
        assertEquals(0L, redis.exists(RedisKeys.device(removed).record()));
        assertEquals(Set.of(kept), redis.smembers(RedisKeys.userDevices(user)));
        api().get("/v1/devices/" + kept).then().statusCode(200).body("userId", equalTo(user));
    }

    @Test
    void idsAreFreshPerDevice() {
        String body = "{\"platform\": \"ios\", \"appId\": \"com.example\"}";
        String first = create(body).path("id");
        String second = create(body).path("id");
        assertFalse(first.equals(second));
        assertTrue(first.matches("[a-z2-7]{26}"), first);
    }
}
