package io.tether.registry.pushapp;

import static io.tether.registry.support.TestApi.PROBLEM_JSON;
import static io.tether.registry.support.TestApi.admin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tether.contract.PushApp;
import io.tether.contract.RedisKeys;
import io.tether.registry.support.TestRedis;
import io.tether.testkit.TetherInfraResource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code tether.registry.require-push-app} on (the default outside tests): devices and tokens of apps
 * push-service published no credentials for, or push types and environments they do not cover, are refused.
 */
@QuarkusTest
@TestProfile(PushAppsEnforcedIT.Enforced.class)
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class PushAppsEnforcedIT {
    private static final String CHAT = "com.example.enforced.chat";
    private static final String TOKEN = "ab".repeat(32);

    public static class Enforced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tether.registry.require-push-app", "true");
        }
    }

    @ConfigProperty(name = "tether.redis.uri")
    String redisUri;

    private TestRedis redis;
    private Map<String, String> before;

    @BeforeEach
    void publishOneApp() {
        redis = new TestRedis(redisUri);
        before = redis.sync().hgetall(RedisKeys.pushApps());
        redis.sync().del(RedisKeys.pushApps());
        redis.sync().hset(RedisKeys.pushApps(), CHAT, new PushApp(CHAT, "chat", "token", List.of("production"),
                List.of("alert", "background"), List.of(CHAT)).toJson());
    }

    @AfterEach
    void restore() {
        redis.sync().del(RedisKeys.pushApps());
        if (!before.isEmpty()) {
            redis.sync().hset(RedisKeys.pushApps(), before);
        }
        redis.close();
    }

    @Test
    void aDeviceOfAnAppWithoutCredentialsIsRefusedNamingAppId() {
        admin().body(Map.of("platform", "ios", "appId", "com.example.nobody")).post("/v1/devices").then()
                .statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("appId"))
                .body("errors[0].message", containsString("has no APNs credentials in push-service (configured: " + CHAT + ")"));
        admin().body(Map.of("platform", "ios", "appId", CHAT)).post("/v1/devices").then().statusCode(201);
    }

    @Test
    void aKeyLimitedToSomeAppsIsToldOnlyOfThoseAmongTheConfiguredOnes() {
        String key = admin().body(Map.of("name", "team-nobody", "scopes", List.of("devices:write"),
                "apps", List.of("com.example.nobody"))).post("/v1/api-keys").then().statusCode(201).extract().path("key");
        io.tether.registry.support.TestApi.bearer(key).body(Map.of("platform", "ios", "appId", "com.example.nobody"))
                .post("/v1/devices").then().statusCode(400)
                .body("errors[0].message", containsString("(configured: none)"));
    }

    @Test
    void aDeviceRegisteredWithATokenOfAnEnvironmentItsAppLacksIsRefusedNamingPushToken() {
        admin().body(Map.of("platform", "ios", "appId", CHAT, "pushToken", TOKEN, "pushEnvironment", "sandbox"))
                .post("/v1/devices").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("pushToken"))
                .body("errors[0].message", containsString("has no sandbox credentials"));
        admin().body(Map.of("platform", "ios", "appId", CHAT, "pushToken", TOKEN)).post("/v1/devices").then().statusCode(201);
    }

    @Test
    void tokensTheAppCannotUseAreRefused() {
        String id = admin().body(Map.of("platform", "ios", "appId", CHAT)).post("/v1/devices").then().statusCode(201)
                .extract().path("id");
        admin().body(Map.of("token", TOKEN)).put("/v1/devices/" + id + "/push-tokens/voip").then()
                .statusCode(400).body("errors[0].field", equalTo("token"))
                .body("errors[0].message", containsString("may not send voip pushes"));
        admin().body(Map.of("token", TOKEN, "environment", "sandbox")).put("/v1/devices/" + id + "/push-token").then()
                .statusCode(400).body("errors[0].message", containsString("has no sandbox credentials"));
        admin().body(Map.of("token", TOKEN)).put("/v1/devices/" + id + "/push-token").then().statusCode(204);
    }

    @Test
    void aCatchAllAppAcceptsEveryAppId() {
        redis.sync().hset(RedisKeys.pushApps(), PushApp.ANY, new PushApp(PushApp.ANY, "local", "token",
                List.of("production", "sandbox"), List.of("alert", "voip", "liveactivity"), List.of()).toJson());
        admin().body(Map.of("platform", "ios", "appId", "com.newcomer.own")).post("/v1/devices").then().statusCode(201);
        admin().get("/v1/apps").then().statusCode(200).body("items.appId", org.hamcrest.Matchers.hasItems("*", CHAT));
    }
}
