package io.tether.registry;

import static io.tether.registry.support.TestApi.admin;
import static io.tether.registry.support.TestApi.basic;
import static io.tether.registry.support.TestApi.bearer;
import static io.tether.registry.support.TestApi.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.registry.support.LogCapture;
import io.tether.testkit.TetherInfraResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Passwords, API keys and push tokens reach neither a log line nor an error body: through the create,
 * rotate and key paths, successful and failing, with every log line of the JVM captured.
 */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class SecretsNotLoggedIT {
    private static final String TOKEN = "feedface".repeat(8);
    private static final String NOT_A_TOKEN = "sekrit-token-value";

    @Test
    void secretsAppearInNoLogLineAndNoErrorBody() {
        List<String> secrets = new ArrayList<>(List.of(TOKEN, NOT_A_TOKEN));
        try (LogCapture log = LogCapture.install()) {
            // create: a password and a push token go in and out
            var created = admin().body(Map.of("platform", "ios", "appId", unique("com.example.secret"), "pushToken", TOKEN))
                    .post("/v1/devices").then().statusCode(201).extract();
            String id = created.path("id");
            String password = created.path("mqtt.password");
            secrets.add(password);

            // a failing create: the secret-looking value is refused without being echoed
            admin().body(Map.of("platform", "ios", "appId", "com.example", "pushToken", NOT_A_TOKEN))
                    .post("/v1/devices").then().statusCode(400).body(not(containsString(NOT_A_TOKEN)));
            admin().body("{\"platform\": \"ios\", \"appId\": " + NOT_A_TOKEN + "}")
                    .post("/v1/devices").then().statusCode(400).body(not(containsString(NOT_A_TOKEN)));

            // rotate: the new password is answered once, logged never
            String rotated = admin().post("/v1/devices/" + id + "/credentials/rotate").then().statusCode(200)
                    .extract().path("mqtt.password");
            secrets.add(rotated);
            admin().post("/v1/devices/" + id + "/credentials/revoke").then().statusCode(204);

            // a device with the old password, and a failing token write with a secret in the body
            basic(id, password).body(Map.of("token", TOKEN)).put("/v1/devices/" + id + "/push-token").then()
                    .statusCode(401).body(not(containsString(password)));
            admin().body(Map.of("token", NOT_A_TOKEN)).put("/v1/devices/" + id + "/push-token").then()
                    .statusCode(400).body(not(containsString(NOT_A_TOKEN)));

            // API keys: created (logged by id), used wrongly, deleted
            var key = admin().body(Map.of("name", unique("logged"), "scopes", List.of("devices:read")))
                    .post("/v1/api-keys").then().statusCode(201).extract();
            String apiKey = key.path("key");
            secrets.add(apiKey);
            bearer(apiKey).body("{}").post("/v1/devices").then().statusCode(403).body(not(containsString(apiKey)));
            bearer(apiKey + "x").get("/v1/devices").then().statusCode(401).body(not(containsString(apiKey)));
            admin().delete("/v1/api-keys/" + key.path("id")).then().statusCode(204);

            assertFalse(log.lines().isEmpty(), "the capture sees the app's log (rotation and key creation are logged)");
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("rotated")), log.lines().toString());
            for (String secret : secrets) {
                assertEquals(List.of(), log.containing(secret), "a secret was logged");
            }
        }
    }
}
