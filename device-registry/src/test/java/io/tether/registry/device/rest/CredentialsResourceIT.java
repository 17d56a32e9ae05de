package io.tether.registry.device.rest;

import static io.tether.registry.support.TestApi.PROBLEM_JSON;
import static io.tether.registry.support.TestApi.admin;
import static io.tether.registry.support.TestApi.anonymous;
import static io.tether.registry.support.TestApi.basic;
import static io.tether.registry.support.TestApi.bearer;
import static io.tether.registry.support.TestApi.device;
import static io.tether.registry.support.TestApi.key;
import static io.tether.registry.support.TestApi.unique;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.tether.contract.DeviceFields;
import io.tether.contract.DeviceId;
import io.tether.contract.RedisKeys;
import io.tether.registry.device.DeviceSecrets;
import io.tether.registry.support.TestApi.Registered;
import io.tether.registry.support.TestRedis;
import io.tether.testkit.TetherInfraResource;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rotation and revocation of a device's MQTT password, and what gateways are told. */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class CredentialsResourceIT {
    private static final String TOKEN = "ab".repeat(32);
    private static final Duration DEADLINE = Duration.ofSeconds(5);

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

    private String storedHash(String id) {
        return redis.sync().hget(RedisKeys.device(id).record(), DeviceFields.SECRET_HASH);
    }

    /** What a device can do with a password: set its own push token. */
    private static int pushTokenWith(String id, String password) {
        return basic(id, password).body("{\"token\": \"" + TOKEN + "\"}").put("/v1/devices/" + id + "/push-token").statusCode();
    }

    @Test
    void rotateIssuesANewPasswordOnceAndTheOldOneStopsWorking() {
        Registered device = device("ios", unique("com.example.rotate"), null);
        List<String> announced = redis.subscribe(RedisKeys.credentialChanges());
        assertEquals(204, pushTokenWith(device.id(), device.password()));

        ExtractableResponse<Response> rotated = admin().post("/v1/devices/" + device.id() + "/credentials/rotate").then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("id", equalTo(device.id()))
                .body("mqtt.clientId", equalTo(device.id()))
                .body("mqtt.username", equalTo(device.id()))
                .extract();
        String password = rotated.path("mqtt.password");

        assertTrue(password.matches("[A-Za-z0-9_-]{43}"));
        assertNotEquals(device.password(), password);
        assertEquals(DeviceSecrets.hash(password), storedHash(device.id()));
        assertEquals(401, pushTokenWith(device.id(), device.password()));
        assertEquals(204, pushTokenWith(device.id(), password));
        await().atMost(DEADLINE).until(() -> announced.contains(device.id()));
        // shown once: reading the device never shows it
        assertFalse(admin().get("/v1/devices/" + device.id()).asString().contains(password));
    }

    @Test
    void revokeLeavesNoWorkingPasswordUntilTheNextRotation() {
        Registered device = device("macos", unique("com.example.revoke"), null);
        List<String> announced = redis.subscribe(RedisKeys.credentialChanges());

        admin().post("/v1/devices/" + device.id() + "/credentials/revoke").then().statusCode(204);

        assertNull(storedHash(device.id()), "what the gateway checks is gone");
        await().atMost(DEADLINE).until(() -> announced.contains(device.id()));
        assertEquals(401, pushTokenWith(device.id(), device.password()));
        admin().get("/v1/devices/" + device.id()).then().statusCode(200).body("credentialsRevoked", equalTo(true));
        admin().post("/v1/devices/" + device.id() + "/credentials/revoke").then().statusCode(204); // idempotent

        String password = admin().post("/v1/devices/" + device.id() + "/credentials/rotate").then().statusCode(200)
                .extract().path("mqtt.password");
        assertEquals(204, pushTokenWith(device.id(), password));
        admin().get("/v1/devices/" + device.id()).then().body("credentialsRevoked", equalTo(false));
    }

    @Test
    void everyRotationAndRevocationRaisesTheCredentialVersionAndRevocationStopsCertificatesToo() {
        Registered device = device("ios", unique("com.example.version"), null);
        String record = RedisKeys.device(device.id()).record();
        assertNull(redis.sync().hget(record, DeviceFields.CREDENTIAL_VERSION), "version 0 until the first change");

        admin().post("/v1/devices/" + device.id() + "/credentials/revoke").then().statusCode(204);
        // gateways refuse a revoked device whether it sends a password or a client certificate (connect.lua)
        assertEquals("1", redis.sync().hget(record, DeviceFields.CREDENTIALS_REVOKED));
        assertEquals("1", redis.sync().hget(record, DeviceFields.CREDENTIAL_VERSION));

        admin().post("/v1/devices/" + device.id() + "/credentials/rotate").then().statusCode(200);
        assertNull(redis.sync().hget(record, DeviceFields.CREDENTIALS_REVOKED), "a rotation ends the revocation");
        assertEquals("2", redis.sync().hget(record, DeviceFields.CREDENTIAL_VERSION));

        // a push token write does not count as a credential change
        assertEquals(204, pushTokenWith(device.id(), admin().post("/v1/devices/" + device.id() + "/credentials/rotate")
                .then().statusCode(200).extract().path("mqtt.password")));
        assertEquals("3", redis.sync().hget(record, DeviceFields.CREDENTIAL_VERSION));
    }

    @Test
    void deletingADeviceAlsoDisconnectsIt() {
        Registered device = device("ios", unique("com.example.gone"), null);
        List<String> announced = redis.subscribe(RedisKeys.credentialChanges());
        admin().delete("/v1/devices/" + device.id()).then().statusCode(204);
        await().atMost(DEADLINE).until(() -> announced.contains(device.id()));
        assertEquals(401, pushTokenWith(device.id(), device.password()));
    }

    @Test
    void unknownDevicesAreNotFound() {
        for (String action : List.of("rotate", "revoke")) {
            admin().post("/v1/devices/" + DeviceId.random() + "/credentials/" + action).then()
                    .statusCode(404)
                    .contentType(PROBLEM_JSON)
                    .body("type", equalTo("urn:tether:problem:not-found"));
            admin().post("/v1/devices/bad%7Bid%7D/credentials/" + action).then().statusCode(404);
        }
    }

    @Test
    void credentialsNeedDevicesWrite() {
        Registered device = device("ios", unique("com.example.scope"), null);
        String before = storedHash(device.id());
        String reader = key("devices:read");
        for (String action : List.of("rotate", "revoke")) {
            String path = "/v1/devices/" + device.id() + "/credentials/" + action;
            anonymous().post(path).then().statusCode(401).contentType(PROBLEM_JSON);
            bearer(reader).post(path).then().statusCode(403).body("type", equalTo("urn:tether:problem:forbidden"));
            // a device cannot manage its own credentials here
            basic(device.id(), device.password()).post(path).then().statusCode(401);
        }
        assertEquals(before, storedHash(device.id()));
        bearer(key("devices:write")).post("/v1/devices/" + device.id() + "/credentials/rotate").then().statusCode(200);
    }
}
