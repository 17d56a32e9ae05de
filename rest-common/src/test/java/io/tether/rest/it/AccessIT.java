package io.tether.rest.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tether.contract.ApiKeyFields;
import io.tether.contract.RedisKeys;
import io.tether.rest.auth.ApiKeyHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stored API keys, scopes and device credentials, through a real Quarkus app and a real Redis. */
@QuarkusTest
@QuarkusTestResource(value = RedisResource.class, restrictToAnnotatedClass = false)
class AccessIT {
    private static final String PROBLEM_JSON = "application/problem+json";

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

    /** Stores a key the way the registry does and answers the key itself. */
    private String storedKey(String id, String scopes) {
        String key = "tk_" + UUID.randomUUID();
        redis.hset(RedisKeys.apiKey(ApiKeyHash.sha256Hex(key)), Map.of(ApiKeyFields.ID, id, ApiKeyFields.NAME, id,
                ApiKeyFields.SCOPES, scopes, ApiKeyFields.CREATED_AT, "1700000000000"));
        return key;
    }

    private static RequestSpecification bearer(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    private static RequestSpecification basic(String user, String password) {
        String encoded = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return given().header("Authorization", "Basic " + encoded);
    }

    @Test
    void aStoredKeyIsTheCallerWithItsScopes() {
        String key = storedKey("ak_reader", "devices:read");
        bearer(key).get("/v1/caller").then().statusCode(403); // unannotated: admin only
        bearer(key).get("/v1/scoped/read").then().statusCode(200).body(equalTo("read"));
        bearer(key).get("/v1/scoped/either").then().statusCode(200).body(equalTo("either"));
    }

    @Test
    void aMissingScopeIsForbiddenAndSaysWhichScopeIsNeeded() {
        String key = storedKey("ak_sender", "messages:send");
        bearer(key).get("/v1/scoped/read").then()
                .statusCode(403)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:forbidden"))
                .body("detail", containsString("devices:read"))
                .body(not(containsString(key)));
        bearer(key).get("/v1/scoped/either").then().statusCode(200);
        bearer(key).get("/v1/unannotated").then().statusCode(403).body("detail", containsString("admin"));
    }

    @Test
    void adminHoldsEveryScope() {
        String key = storedKey("ak_admin", "admin");
        bearer(key).get("/v1/unannotated").then().statusCode(200);
        bearer(key).get("/v1/scoped/read").then().statusCode(200);
        bearer(key).get("/v1/caller").then().statusCode(200).body(equalTo("ak_admin"));
    }

    @Test
    void unknownKeysAreUnauthorized() {
        bearer("tk_" + UUID.randomUUID()).get("/v1/scoped/read").then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"));
    }

    @Test
    void aDeletedKeyStopsWorkingWithinTheCacheTtl() {
        String key = storedKey("ak_doomed", "devices:read");
        bearer(key).get("/v1/scoped/read").then().statusCode(200);
        redis.del(RedisKeys.apiKey(ApiKeyHash.sha256Hex(key)));
        // tether.api.key-cache-ttl=1s in this module's tests
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> bearer(key).get("/v1/scoped/read").statusCode() == 401);
    }

    @Test
    void aDeviceActsOnItselfWithItsOwnCredentials() {
        basic("dev-a", "pw-a").get("/v1/things/dev-a/signal").then().statusCode(200).body(equalTo("device dev-a"));
    }

    @Test
    void aDeviceMayNotActOnAnotherDevice() {
        basic("dev-a", "pw-a").get("/v1/things/dev-b/signal").then()
                .statusCode(403)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:forbidden"));
    }

    @Test
    void wrongDeviceCredentialsAreUnauthorizedWithBothChallenges() {
        Response refused = basic("dev-a", "pw-b-guess").get("/v1/things/dev-a/signal");
        refused.then()
                .statusCode(401)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:unauthorized"))
                .body(not(containsString("pw-b-guess")));
        assertThat(refused.headers().getValues("WWW-Authenticate"), hasItems(containsString("Bearer"), containsString("Basic")));
        given().header("Authorization", "Basic !!!not-base64").get("/v1/things/dev-a/signal").then().statusCode(401);
        basic("not a/device", "pw-a").get("/v1/things/dev-a/signal").then().statusCode(401);
    }

    @Test
    void backendsCallDeviceEndpointsWithAScopedKey() {
        String writer = storedKey("ak_writer", "devices:write");
        bearer(writer).get("/v1/things/dev-a/signal").then().statusCode(200).body(equalTo("key ak_writer"));
        String reader = storedKey("ak_reader2", "devices:read");
        bearer(reader).get("/v1/things/dev-a/signal").then().statusCode(403);
    }

    @Test
    void basicAuthIsNotAcceptedOnBackendEndpoints() {
        basic("dev-a", "pw-a").get("/v1/scoped/read").then()
                .statusCode(401)
                .header("WWW-Authenticate", not(containsString("Basic")));
    }

    @Test
    void aBodyAboveTheLimitIsA413Problem() {
        String big = "{\"platform\": \"" + "x".repeat(100 * 1024) + "\"}";
        given().header("Authorization", "Bearer test-bootstrap-key").contentType("application/json").body(big)
                .post("/v1/echo").then()
                .statusCode(413)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:payload-too-large"))
                .body("instance", equalTo("/v1/echo"));
    }
}
