package io.tether.registry.device.rest;

import static io.tether.registry.support.TestApi.PROBLEM_JSON;
import static io.tether.registry.support.TestApi.admin;
import static io.tether.registry.support.TestApi.basic;
import static io.tether.registry.support.TestApi.device;
import static io.tether.registry.support.TestApi.unique;
import static org.hamcrest.Matchers.containsString;
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
import io.tether.contract.PushTokenScripts;
import io.tether.contract.PushTokenSlot;
import io.tether.contract.RedisKeys;
import io.tether.contract.StoredPushToken;
import io.tether.registry.support.TestApi.Registered;
import io.tether.registry.support.TestRedis;
import io.tether.testkit.TetherInfraResource;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** VoIP, push-to-start and Live Activity tokens through {@code /v1/devices/{id}/push-tokens}, beside the standard token. */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class PushTokensResourceIT {
    private static final String ALERT = "aa".repeat(32);
    private static final String VOIP = "bb".repeat(32);
    private static final String START = "cc".repeat(32);
    private static final String ACTIVITY = "dd".repeat(32);

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
    void everyKindIsStoredBesideTheStandardTokenWhichStaysWhereItWas() {
        Registered device = device("ios", unique("com.example.kinds"), null);
        String base = "/v1/devices/" + device.id();
        admin().body("{\"token\": \"%s\"}".formatted(ALERT)).put(base + "/push-token").then().statusCode(204);
        admin().body("{\"token\": \"%s\", \"environment\": \"sandbox\"}".formatted(VOIP.toUpperCase()))
                .put(base + "/push-tokens/voip").then().statusCode(204);
        basic(device.id(), device.password()).body("{\"token\": \"%s\"}".formatted(START))
                .put(base + "/push-tokens/push-to-start/DeliveryAttributes").then().statusCode(204);
        basic(device.id(), device.password()).body("{\"token\": \"%s\", \"activityType\": \"DeliveryAttributes\"}".formatted(ACTIVITY))
                .put(base + "/push-tokens/live-activities/act-1").then().statusCode(204);

        Map<String, String> record = redis.sync().hgetall(RedisKeys.device(device.id()).record());
        assertEquals(ALERT, record.get(DeviceFields.PUSH_TOKEN), "fanout and push-service read it here as before");
        Map<String, String> others = redis.sync().hgetall(RedisKeys.device(device.id()).pushTokens());
        StoredPushToken voip = StoredPushToken.fromJson(others.get("voip"));
        assertEquals(VOIP, voip.token(), "lowercase");
        assertEquals("sandbox", voip.environment());
        assertTrue(voip.updatedAt() > 0);
        assertEquals(START, StoredPushToken.fromJson(others.get("pushToStart:DeliveryAttributes")).token());
        StoredPushToken activity = StoredPushToken.fromJson(others.get("liveActivity:act-1"));
        assertEquals(ACTIVITY, activity.token());
        assertEquals("DeliveryAttributes", activity.activityType());

        admin().get(base + "/push-tokens").then().statusCode(200)
                .body("alert.environment", equalTo("production"))
                .body("voip.environment", equalTo("sandbox"))
                .body("pushToStart", hasKey("DeliveryAttributes"))
                .body("liveActivities.'act-1'.activityType", equalTo("DeliveryAttributes"))
                .body(not(containsString(VOIP)))
                .body(not(containsString(ALERT)));
    }

    @Test
    void deletingAKindRemovesOnlyThatToken() {
        Registered device = device("ios", unique("com.example.delete"), null);
        String base = "/v1/devices/" + device.id();
        admin().body("{\"token\": \"%s\"}".formatted(VOIP)).put(base + "/push-tokens/voip").then().statusCode(204);
        admin().body("{\"token\": \"%s\"}".formatted(ACTIVITY)).put(base + "/push-tokens/live-activities/act-2").then().statusCode(204);

        basic(device.id(), device.password()).delete(base + "/push-tokens/live-activities/act-2").then().statusCode(204);

        Map<String, String> others = redis.sync().hgetall(RedisKeys.device(device.id()).pushTokens());
        assertFalse(others.containsKey("liveActivity:act-2"));
        assertTrue(others.containsKey("voip"));
    }

    @Test
    void deletingTheDeviceDeletesItsTokens() {
        Registered device = device("ios", unique("com.example.gone"), null);
        admin().body("{\"token\": \"%s\"}".formatted(VOIP)).put("/v1/devices/" + device.id() + "/push-tokens/voip").then().statusCode(204);
        admin().delete("/v1/devices/" + device.id()).then().statusCode(204);
        assertEquals(0, redis.sync().exists(RedisKeys.device(device.id()).pushTokens()));
    }

    @Test
    void badPathsBodiesAndUnknownDevicesAreRefused() {
        Registered device = device("ios", unique("com.example.bad"), null);
        String base = "/v1/devices/" + device.id();
        admin().body("{\"token\": \"%s\"}".formatted(START)).put(base + "/push-tokens/push-to-start/Bad:Type").then()
                .statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("activityType"));
        admin().body("{\"token\": \"not-hex\"}").put(base + "/push-tokens/voip").then()
                .statusCode(400).body("errors[0].field", equalTo("token"));
        admin().body("{\"token\": \"%s\"}".formatted(VOIP)).put("/v1/devices/nosuchdevice/push-tokens/voip").then().statusCode(404);
        assertNull(redis.sync().hget(RedisKeys.device(device.id()).pushTokens(), "voip"));
    }

    @Test
    void aFullDeviceDropsLongEndedActivitiesFirstThenRefuses() {
        Registered device = device("ios", unique("com.example.full"), null);
        String tokens = RedisKeys.device(device.id()).pushTokens();
        long stale = System.currentTimeMillis() - PushTokenScripts.STALE_ACTIVITY_MILLIS - 60_000;
        redis.sync().hset(tokens, PushTokenSlot.liveActivity("old").field(), new StoredPushToken(ACTIVITY, "production", stale, null).toJson());
        for (int i = 1; i < PushTokenScripts.MAX_TOKENS; i++) {
            redis.sync().hset(tokens, PushTokenSlot.pushToStart("T" + i).field(),
                    new StoredPushToken(START, "production", System.currentTimeMillis(), null).toJson());
        }
        String base = "/v1/devices/" + device.id() + "/push-tokens/live-activities/";

        admin().body("{\"token\": \"%s\"}".formatted(ACTIVITY)).put(base + "new").then().statusCode(204);
        assertFalse(redis.sync().hexists(tokens, "liveActivity:old"), "a 12-hour-old activity is over");

        admin().body("{\"token\": \"%s\"}".formatted(ACTIVITY)).put(base + "one-too-many").then()
                .statusCode(409).contentType(PROBLEM_JSON);
    }
}
