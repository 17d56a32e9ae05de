package io.tether.rest.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-caller token bucket, with a rate low enough to hit. */
@QuarkusTest
@TestProfile(RateLimitIT.LowRate.class)
@QuarkusTestResource(value = RedisResource.class, restrictToAnnotatedClass = false)
class RateLimitIT {

    public static class LowRate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tether.api.rate-limit.per-second", "0.2", "tether.api.rate-limit.burst", "3");
        }
    }

    @Test
    void beyondTheBurstACallerGets429WithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", "Bearer test-bootstrap-key").get("/v1/caller").then().statusCode(200);
        }
        given().header("Authorization", "Bearer test-bootstrap-key").get("/v1/caller").then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("5")) // one token per 5 s
                .body("type", equalTo("urn:tether:problem:rate-limited"));
        // unauthenticated requests are refused before they count against anyone
        given().header("Authorization", "Bearer wrong").get("/v1/caller").then().statusCode(401);
    }
}
