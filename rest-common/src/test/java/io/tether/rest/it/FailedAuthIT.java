package io.tether.rest.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tether.contract.RedisKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests that fail to authenticate hold their address back, counted in Redis where every instance sees it. */
@QuarkusTest
@TestProfile(FailedAuthIT.FewFailures.class)
@QuarkusTestResource(value = RedisResource.class, restrictToAnnotatedClass = false)
class FailedAuthIT {
    private static final String COUNT = RedisKeys.authFailures("rest", "127.0.0.1");

    public static class FewFailures implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tether.api.auth-failures.enabled", "true",
                    "tether.api.auth-failures.free", "3",
                    "tether.api.auth-failures.first-wait", "30s",
                    "tether.api.auth-failures.max-wait", "60s",
                    "tether.api.auth-failures.ban-after", "6");
        }
    }

    @ConfigProperty(name = "tether.redis.uri")
    String redisUri;

    private RedisClient client;
    private RedisCommands<String, String> redis;

    @BeforeEach
    void connect() {
        client = RedisClient.create(redisUri);
        redis = client.connect().sync();
        redis.del(COUNT);
    }

    @AfterEach
    void forget() {
        redis.del(COUNT); // the other test classes share this Redis and this address
        client.shutdown();
    }

    @Test
    void afterTheFreeFailuresTheAddressIsAnswered429UnheardEvenWithTheRightKey() {
        given().header("Authorization", "Bearer wrong-1").get("/v1/caller").then().statusCode(401);
        given().get("/v1/caller").then().statusCode(401); // no credentials at all counts too
        given().header("Authorization", basic("dev-a", "not-its-password")).get("/v1/things/dev-a/signal").then().statusCode(401);
        given().header("Authorization", "Bearer wrong-2").get("/v1/caller").then().statusCode(401); // the fourth: wait 30 s

        given().header("Authorization", "Bearer test-bootstrap-key").get("/v1/caller").then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("30"))
                .body("type", equalTo("urn:tether:problem:rate-limited"))
                .body("detail", containsString("failed authentications from this address"));
        given().header("Authorization", basic("dev-a", "pw-a")).get("/v1/things/dev-a/signal").then().statusCode(429);

        // Counted in Redis, where every instance counts: 4 failures and the 2 requests that came while it had to wait.
        await().atMost(Duration.ofSeconds(5)).until(() -> "6".equals(redis.hget(COUNT, "failures")));
        long waitMillis = Long.parseLong(redis.hget(COUNT, "blockedUntil")) - System.currentTimeMillis();
        assertTrue(waitMillis > 20_000 && waitMillis <= 60_000, "blocked for " + waitMillis + " ms");

        // Hammering on bans it: the seventh is beyond ban-after 6.
        given().header("Authorization", "Bearer wrong-3").get("/v1/caller").then().statusCode(429);
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.hget(COUNT, "bannedUntil") != null);
        assertTrue(Long.parseLong(redis.hget(COUNT, "bannedUntil")) - System.currentTimeMillis() > Duration.ofMinutes(14).toMillis());
        given().header("Authorization", "Bearer test-bootstrap-key").get("/v1/caller").then().statusCode(429)
                .header("Retry-After", equalTo(Long.toString(Duration.ofMinutes(15).toSeconds())));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
