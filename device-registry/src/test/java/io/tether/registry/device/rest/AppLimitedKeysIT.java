package io.tether.registry.device.rest;

import static io.tether.registry.support.TestApi.PROBLEM_JSON;
import static io.tether.registry.support.TestApi.admin;
import static io.tether.registry.support.TestApi.bearer;
import static io.tether.registry.support.TestApi.device;
import static io.tether.registry.support.TestApi.unique;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testkit.TetherInfraResource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a key limited to some apps may do to devices, users and quotas beyond the plain per-app 404s. */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class AppLimitedKeysIT {

    private static String limitedKey(String app) {
        return admin().body(Map.of("name", "team-" + UUID.randomUUID(), "scopes", List.of("devices:read", "devices:write"),
                "apps", List.of(app))).post("/v1/api-keys").then().statusCode(201).extract().path("key");
    }

    @Test
    void anEmptyListOfAppsIsRefusedRatherThanMadeAKeyOfEveryApp() {
        admin().body(Map.of("name", "team-none", "scopes", List.of("devices:read"), "apps", List.of()))
                .post("/v1/api-keys").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("apps"));
    }

    @Test
    void aLimitedKeyCannotAddADeviceToAUserWhoHasTopicGrants() {
        String app = unique("com.example.limited");
        String user = unique("granted") + "@example.com";
        String key = limitedKey(app);
        admin().body(List.of(Map.of("filter", "billing/" + user + "/#", "actions", List.of("subscribe"))))
                .put("/v1/users/" + user + "/grants").then().statusCode(200);

        bearer(key).body(Map.of("platform", "ios", "appId", app, "userId", user)).post("/v1/devices").then()
                .statusCode(403).contentType(PROBLEM_JSON);
        String own = bearer(key).body(Map.of("platform", "ios", "appId", app)).post("/v1/devices").then()
                .statusCode(201).extract().path("id");
        bearer(key).contentType("application/merge-patch+json").body(Map.of("userId", user))
                .patch("/v1/devices/" + own).then().statusCode(403);

        // A user without grants is open to it, and a key of every app may add a device to the granted user.
        String plain = unique("plain") + "@example.com";
        bearer(key).body(Map.of("platform", "ios", "appId", app, "userId", plain)).post("/v1/devices").then().statusCode(201);
        admin().contentType("application/merge-patch+json").body(Map.of("userId", user))
                .patch("/v1/devices/" + own).then().statusCode(200).body("userId", equalTo(user));
    }

    @Test
    void movingADeviceIntoAnAppAtItsDevicesQuotaIsRefusedButStayingInItIsNot() {
        String full = unique("com.example.full");
        String other = unique("com.example.other");
        admin().body(Map.of("devices", 1)).put("/v1/quotas/" + full).then().statusCode(200);
        String inFull = device("ios", full, null).id();
        String mover = device("ios", other, null).id();

        admin().contentType("application/merge-patch+json").body(Map.of("appId", full))
                .patch("/v1/devices/" + mover).then().statusCode(429).contentType(PROBLEM_JSON);
        admin().contentType("application/merge-patch+json").body(Map.of("appId", full, "platform", "macos"))
                .patch("/v1/devices/" + inFull).then().statusCode(200);
    }
}
