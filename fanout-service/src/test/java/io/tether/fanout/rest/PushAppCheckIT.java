package io.tether.fanout.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tether.contract.ApiKeyFields;
import io.tether.contract.DeviceFields;
import io.tether.contract.DeviceId;
import io.tether.contract.PushApp;
import io.tether.contract.RedisKeys;
import io.tether.rest.auth.ApiKeyHash;
import io.tether.testkit.TetherInfraResource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With {@code tether.fanout.require-push-app} on (the default outside tests), push no APNs app can send is refused up front. */
@QuarkusTest
@TestProfile(PushAppCheckIT.Enforced.class)
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class PushAppCheckIT {
    private static final String CHAT = "com.example.check.chat";

    public static class Enforced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tether.fanout.require-push-app", "true");
        }
    }

    @ConfigProperty(name = "tether.redis.uri")
    String redisUri;

    private RedisClient client;
    private RedisCommands<String, String> redis;
    private Map<String, String> before;
    private String key;

    @BeforeEach
    void oneAlertsOnlyApp() {
        client = RedisClient.create(redisUri);
        redis = client.connect().sync();
        before = redis.hgetall(RedisKeys.pushApps());
        redis.del(RedisKeys.pushApps());
        redis.hset(RedisKeys.pushApps(), CHAT, new PushApp(CHAT, "chat", "token", List.of("production"),
                List.of("alert", "background"), List.of(CHAT)).toJson());
        key = "tk_" + UUID.randomUUID();
        redis.hset(RedisKeys.apiKey(ApiKeyHash.sha256Hex(key)), Map.of(ApiKeyFields.ID, "ak_check", ApiKeyFields.NAME,
                "check-" + key, ApiKeyFields.SCOPES, "messages:send", ApiKeyFields.CREATED_AT, "1700000000000"));
    }

    @AfterEach
    void restore() {
        redis.del(RedisKeys.pushApps());
        if (!before.isEmpty()) {
            redis.hset(RedisKeys.pushApps(), before);
        }
        client.shutdown();
    }

    private String device(String appId) {
        String id = DeviceId.random();
        redis.hset(RedisKeys.device(id).record(), Map.of(DeviceFields.ID, id, DeviceFields.PLATFORM, "ios", DeviceFields.APP_ID, appId));
        return id;
    }

    private io.restassured.response.ValidatableResponse send(String body) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body).post("/v1/messages").then();
    }

    @Test
    void aPushTypeTheAppMayNotSendIsRefusedNamingPushType() {
        send("{\"to\": {\"device\": \"" + device(CHAT) + "\"}, \"payload\": \"ring\", \"push\": {\"pushType\": \"voip\"}}")
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("push.pushType"))
                .body("errors[0].message", containsString("may not send voip pushes"));
        send("{\"to\": {\"device\": \"" + device(CHAT) + "\"}, \"payload\": \"hi\", \"push\": {\"alert\": \"hi\"}}").statusCode(202);
    }

    @Test
    void aDeviceOfAnAppWithoutCredentialsIsRefusedNamingIt() {
        String ok = device(CHAT);
        String orphan = device("com.example.orphan");
        send("{\"to\": {\"devices\": [\"" + ok + "\", \"" + orphan + "\"]}, \"payload\": \"hi\", \"push\": {\"alert\": \"hi\"}}")
                .statusCode(400)
                .body("errors[0].field", equalTo("to.devices[1]"))
                .body("errors[0].message", containsString("com.example.orphan has no APNs credentials"));
        send("{\"to\": {\"device\": \"" + orphan + "\"}, \"payload\": \"data only\"}").statusCode(202);
    }

    @Test
    void aRepeatedDeviceDoesNotShiftTheFieldThatNamesTheRefusedOne() {
        String ok = device(CHAT);
        String orphan = device("com.example.orphan");
        send("{\"to\": {\"devices\": [\"" + ok + "\", \"" + ok + "\", \"" + orphan + "\"]}, \"payload\": \"hi\", \"push\": {\"alert\": \"hi\"}}")
                .statusCode(400)
                .body("errors[0].field", equalTo("to.devices[2]"));
    }
}
