package io.tether.registry.device.rest;

import static io.tether.registry.support.TestApi.PROBLEM_JSON;
import static io.tether.registry.support.TestApi.admin;
import static io.tether.registry.support.TestApi.anonymous;
import static io.tether.registry.support.TestApi.basic;
import static io.tether.registry.support.TestApi.bearer;
import static io.tether.registry.support.TestApi.device;
import static io.tether.registry.support.TestApi.key;
import static io.tether.registry.support.TestApi.unique;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.contract.DeviceFields;
import io.tether.contract.DeviceId;
import io.tether.contract.RedisKeys;
import io.tether.registry.support.TestApi.Registered;
import io.tether.registry.support.TestRedis;
import io.tether.testkit.TetherInfraResource;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PUT and DELETE /v1/devices/{id}/push-token, by a backend or by the device itself. */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class PushTokenResourceIT {
    private static final String TOKEN = "0123456789abcdef".repeat(4);

    @ConfigProperty(name = "tether.redis.uri")
    String redisUri;

    private TestRedis redis;

    @BeforeEach
    void connect() {
        redis = new TestRedis(redisUri);
    }

    @AfterEach
    void disconnect() {
        redis.close();
    }

    private Map<String, String> record(String id) {
        return redis.sync().hgetall(RedisKeys.device(id).record());
    }

    @Test
    void aBackendSetsTheTokenAndItsTime() {
        String id = device("ios", unique("com.example.push"), null).id();
        long before = System.currentTimeMillis();

        admin().body("{\"token\": \"%s\", \"environment\": \"sandbox\"}".formatted(TOKEN.toUpperCase()))
                .put("/v1/devices/" + id + "/push-token").then().statusCode(204);

        Map<String, String> stored = record(id);
        assertEquals(TOKEN, stored.get(DeviceFields.PUSH_TOKEN), "kept in lowercase");
        assertEquals("sandbox", stored.get(DeviceFields.PUSH_ENVIRONMENT));
        long setAt = Long.parseLong(stored.get(DeviceFields.PUSH_TOKEN_UPDATED_AT));
        assertTrue(setAt >= before && setAt <= System.currentTimeMillis(), "epoch millis of the write");
        admin().get("/v1/devices/" + id).then()
                .body("hasPushToken", equalTo(true))
                .body("pushEnvironment", equalTo("sandbox"))
                .body("pushTokenUpdatedAt", equalTo(Instant.ofEpochMilli(setAt).toString()))
                .body(not(containsString(TOKEN)));
    }

    @Test
    void theDeviceSetsItsOwnTokenWithItsCredentials() {
        Registered device = device("watchos", unique("com.example.own"), null);
        basic(device.id(), device.password()).body("{\"token\": \"%s\"}".formatted(TOKEN))
                .put("/v1/devices/" + device.id() + "/push-token").then().statusCode(204);
        assertEquals(TOKEN, record(device.id()).get(DeviceFields.PUSH_TOKEN));
        assertEquals("production", record(device.id()).get(DeviceFields.PUSH_ENVIRONMENT), "the default environment");
    }

    @Test
    void aDeviceCannotSetAnotherDevicesTokenOrUseAWrongPassword() {
        Registered me = device("ios", unique("com.example.me"), null);
        Registered other = device("ios", unique("com.example.other"), null);
        String body = "{\"token\": \"%s\"}".formatted(TOKEN);

        basic(me.id(), me.password()).body(body).put("/v1/devices/" + other.id() + "/push-token").then()
                .statusCode(403)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:forbidden"));
        basic(me.id(), "wrong-" + me.password()).body(body).put("/v1/devices/" + me.id() + "/push-token").then()
                .statusCode(401)
                .contentType(PROBLEM_JSON)
                .body(not(containsString(me.password())));
        basic(DeviceId.random(), "whatever").body(body).put("/v1/devices/" + me.id() + "/push-token").then().statusCode(401);
        assertFalse(record(other.id()).containsKey(DeviceFields.PUSH_TOKEN));
        assertFalse(record(me.id()).containsKey(DeviceFields.PUSH_TOKEN));
    }

    @Test
    void invalidBodiesNameTheFieldsWithoutEchoingThem() {
        Registered device = device("ios", unique("com.example.invalid"), null);
        String path = "/v1/devices/" + device.id() + "/push-token";
        admin().body("{\"token\": \"secret-not-hex\", \"environment\": \"staging\"}").put(path).then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:validation"))
                .body("errors.field", containsInAnyOrder("token", "environment"))
                .body(not(containsString("secret-not-hex")));
        basic(device.id(), device.password()).body("{}").put(path).then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("token"));
        admin().put(path).then().statusCode(400);
        admin().body("{\"token\": [1]}").put(path).then().statusCode(400).body("type", equalTo("urn:tether:problem:malformed-json"));
    }

    @Test
    void deleteRemovesTheToken() {
        String id = device(Map.of("platform", "ios", "appId", unique("com.example.del"), "pushToken", TOKEN)).id();
        assertTrue(record(id).containsKey(DeviceFields.PUSH_TOKEN_UPDATED_AT));

        admin().delete("/v1/devices/" + id + "/push-token").then().statusCode(204);

        Map<String, String> stored = record(id);
        assertFalse(stored.containsKey(DeviceFields.PUSH_TOKEN));
        assertFalse(stored.containsKey(DeviceFields.PUSH_ENVIRONMENT));
        assertFalse(stored.containsKey(DeviceFields.PUSH_TOKEN_UPDATED_AT));
        admin().get("/v1/devices/" + id).then().body("hasPushToken", equalTo(false)).body("$", not(hasKey("pushEnvironment")));
    }

    @Test
    void unknownDevicesAreNotFound() {
        String body = "{\"token\": \"%s\"}".formatted(TOKEN);
        admin().body(body).put("/v1/devices/" + DeviceId.random() + "/push-token").then()
                .statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:not-found"));
        admin().delete("/v1/devices/" + DeviceId.random() + "/push-token").then().statusCode(404);
    }

    @Test
    void aTokenForADeletedDeviceRecreatesNoRecord() {
        String id = device("ios", unique("com.example.deleted"), null).id();
        admin().delete("/v1/devices/" + id).then().statusCode(204);

        // existence and write are one script: a write racing the DELETE finds nothing and writes nothing
        admin().body("{\"token\": \"%s\"}".formatted(TOKEN)).put("/v1/devices/" + id + "/push-token").then().statusCode(404);

        assertEquals(0L, redis.sync().exists(RedisKeys.device(id).record()));
    }

    @Test
    void backendsNeedDevicesWrite() {
        String id = device("ios", unique("com.example.scope"), null).id();
        String body = "{\"token\": \"%s\"}".formatted(TOKEN);
        anonymous().body(body).put("/v1/devices/" + id + "/push-token").then().statusCode(401).contentType(PROBLEM_JSON);
        bearer(key("devices:read")).body(body).put("/v1/devices/" + id + "/push-token").then().statusCode(403);
        bearer(key("messages:send")).delete("/v1/devices/" + id + "/push-token").then().statusCode(403);
        bearer(key("devices:write")).body(body).put("/v1/devices/" + id + "/push-token").then().statusCode(204);
    }
}
