package io.tether.registry.device.rest;

import static io.tether.registry.support.TestApi.PROBLEM_JSON;
import static io.tether.registry.support.TestApi.admin;
import static io.tether.registry.support.TestApi.anonymous;
import static io.tether.registry.support.TestApi.bearer;
import static io.tether.registry.support.TestApi.device;
import static io.tether.registry.support.TestApi.key;
import static io.tether.registry.support.TestApi.unique;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.contract.DeviceFields;
import io.tether.contract.DeviceId;
import io.tether.contract.Platform;
import io.tether.contract.RedisKeys;
import io.tether.registry.support.TestRedis;
import io.tether.testkit.TetherInfraResource;
import java.time.Instant;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PATCH /v1/devices/{id}: the record and its user, app and platform indexes change together. */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class DevicePatchIT {
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

    @Test
    void changingTheUserMovesTheDeviceBetweenUserIndexes() {
        String alice = unique("alice");
        String bob = unique("bob");
        String app = unique("com.example.patch");
        String id = device("ios", app, alice).id();

        admin().body("{\"userId\": \"%s\"}".formatted(bob)).patch("/v1/devices/" + id).then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("userId", equalTo(bob))
                .body("appId", equalTo(app));

        assertFalse(redis.sync().sismember(RedisKeys.userDevices(alice), id));
        assertTrue(redis.sync().sismember(RedisKeys.userDevices(bob), id));
        assertEquals(bob, redis.sync().hget(RedisKeys.device(id).record(), DeviceFields.USER_ID));
        admin().get("/v1/users/" + bob + "/devices").then().body("items.id", containsInAnyOrder(id));
        admin().get("/v1/users/" + alice + "/devices").then().body("items.id", empty());
    }

    @Test
    void nullUserRemovesTheDeviceFromItsUser() {
        String alice = unique("alice");
        String id = device("ios", unique("com.example.patch"), alice).id();
        admin().contentType("application/merge-patch+json").body("{\"userId\": null}").patch("/v1/devices/" + id).then()
                .statusCode(200)
                .body("$", not(hasKey("userId")));
        assertFalse(redis.sync().sismember(RedisKeys.userDevices(alice), id));
        assertNull(redis.sync().hget(RedisKeys.device(id).record(), DeviceFields.USER_ID));
    }

    @Test
    void changingAppAndPlatformMovesTheirIndexesAndKeepsTheRest() {
        String oldApp = unique("com.example.old");
        String newApp = unique("com.example.new");
        String id = device("ios", oldApp, null).id();
        String createdAt = admin().get("/v1/devices/" + id).then().extract().path("createdAt");

        String updatedAt = admin().body("{\"appId\": \"%s\", \"platform\": \"ipados\"}".formatted(newApp))
                .patch("/v1/devices/" + id).then()
                .statusCode(200)
                .body("appId", equalTo(newApp))
                .body("platform", equalTo("ipados"))
                .body("createdAt", equalTo(createdAt))
                .extract().path("updatedAt");
        assertFalse(Instant.parse(updatedAt).isBefore(Instant.parse(createdAt)));

        assertEquals(null, redis.sync().zscore(RedisKeys.appDevices(oldApp), id));
        assertEquals(0.0, redis.sync().zscore(RedisKeys.appDevices(newApp), id));
        assertEquals(null, redis.sync().zscore(RedisKeys.platformDevices(Platform.IOS), id));
        assertEquals(0.0, redis.sync().zscore(RedisKeys.platformDevices(Platform.IPADOS), id));
        assertEquals(0.0, redis.sync().zscore(RedisKeys.allDevices(), id));
        // the password still works: PATCH leaves credentials alone
        assertTrue(redis.sync().hexists(RedisKeys.device(id).record(), DeviceFields.SECRET_HASH));
    }

    @Test
    void anEmptyPatchChangesNothing() {
        String user = unique("frank");
        String id = device("macos", unique("com.example.same"), user).id();
        admin().body("{}").patch("/v1/devices/" + id).then().statusCode(200).body("userId", equalTo(user));
        assertEquals(Set.of(id), redis.sync().smembers(RedisKeys.userDevices(user)));
    }

    @Test
    void invalidOrUnchangeableFieldsAreNamed() {
        String id = device("ios", unique("com.example.bad"), null).id();
        admin().body("""
                {"appId": "bad app", "platform": "android", "userId": 7, "pushToken": "ab", "secretHash": "x"}
                """).patch("/v1/devices/" + id).then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:validation"))
                .body("errors.field", containsInAnyOrder("appId", "platform", "userId", "pushToken", "secretHash"));
        admin().body("[1]").patch("/v1/devices/" + id).then().statusCode(400).body("errors.field", containsInAnyOrder("body"));
        admin().body("{\"appId\": null}").patch("/v1/devices/" + id).then().statusCode(400).body("errors.field", containsInAnyOrder("appId"));
        admin().body("{\"appId\": ").patch("/v1/devices/" + id).then()
                .statusCode(400).body("type", equalTo("urn:tether:problem:malformed-json"));
    }

    @Test
    void unknownDevicesAreNotFound() {
        admin().body("{\"platform\": \"ios\"}").patch("/v1/devices/" + DeviceId.random()).then()
                .statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:not-found"));
        admin().body("{}").patch("/v1/devices/no%7Bsuch%7D").then().statusCode(404);
    }

    @Test
    void patchingNeedsDevicesWrite() {
        String id = device("ios", unique("com.example.scope"), null).id();
        anonymous().body("{}").patch("/v1/devices/" + id).then().statusCode(401).contentType(PROBLEM_JSON);
        bearer(key("devices:read")).body("{\"platform\": \"tvos\"}").patch("/v1/devices/" + id).then()
                .statusCode(403)
                .body("type", equalTo("urn:tether:problem:forbidden"));
        bearer(key("devices:write")).body("{\"platform\": \"tvos\"}").patch("/v1/devices/" + id).then()
                .statusCode(200).body("platform", equalTo("tvos"));
    }
}
