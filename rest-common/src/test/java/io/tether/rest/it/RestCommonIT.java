package io.tether.rest.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/** rest-common inside a real Quarkus app: the filter, the mappers and what reaches the client. */
@QuarkusTest
@QuarkusTestResource(value = RedisResource.class, restrictToAnnotatedClass = false)
class RestCommonIT {
    private static final String KEY = "test-bootstrap-key";
    private static final String PROBLEM_JSON = "application/problem+json";

    private static RequestSpecification authed() {
        return given().header("Authorization", "Bearer " + KEY);
    }

    @Test
    void missingKeyIsUnauthorizedWithBearerChallenge() {
        given().get("/v1/caller").then()
                .statusCode(401)
                .contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("urn:tether:problem:unauthorized"))
                .body("status", equalTo(401))
                .body("instance", equalTo("/v1/caller"));
    }

    @Test
    void wrongKeyIsUnauthorizedAndNotEchoed() {
        given().header("Authorization", "Bearer wrong-key-value").get("/v1/caller").then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"))
                .body(not(containsString("wrong-key-value")));
        given().header("Authorization", "Basic " + KEY).get("/v1/caller").then().statusCode(401);
    }

    @Test
    void authenticationComesBeforeTheBodyIsRead() {
        given().contentType("application/json").body("{not json").post("/v1/echo").then()
                .statusCode(401);
    }

    @Test
    void validKeySetsTheRequestScopedPrincipal() {
        authed().get("/v1/caller").then().statusCode(200).body(equalTo("bootstrap"));
    }

    @Test
    void pathTricksDoNotBypassTheFilter() {
        given().urlEncodingEnabled(false).get("//v1/caller").then().statusCode(401);
        given().urlEncodingEnabled(false).get("/open/../v1/caller").then().statusCode(401);
    }

    @Test
    void openPathsNeedNoApiKey() {
        given().get("/open/ping").then().statusCode(200).body(equalTo("pong"));
        given().get("/q/health").then().statusCode(404); // no health extension here: just not blocked with 401
    }

    @Test
    void deviceEndpointsStillNeedCredentials() {
        given().get("/v1/things/dev-a/signal").then()
                .statusCode(401)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:unauthorized"));
    }

    @Test
    void validationErrorsNameTheFields() {
        authed().contentType("application/json").body("{\"platform\": \"android\", \"tags\": [\"ok\", \"NO\"]}")
                .post("/v1/echo").then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:validation"))
                .body("errors.field", contains("platform", "tags[1]"))
                .body("errors[0].message", equalTo("must be ios or macos"));
        authed().contentType("application/json").body("{}").post("/v1/echo").then()
                .statusCode(400)
                .body("errors.field", contains("platform"));
    }

    @Test
    void missingBodyIsAValidationError() {
        authed().contentType("application/json").post("/v1/echo").then()
                .statusCode(400)
                .body("type", equalTo("urn:tether:problem:validation"))
                .body("errors.field", contains("body"));
    }

    @Test
    void malformedJsonIsMalformedJsonWithoutEchoingTheInput() {
        authed().contentType("application/json").body("{\"platform\": ios-secret-token}").post("/v1/echo").then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:malformed-json"))
                .body(not(containsString("secret")));
    }

    @Test
    void wrongTypeIsMalformedJsonNamingTheField() {
        authed().contentType("application/json").body("{\"platform\": \"ios\", \"count\": \"many\"}").post("/v1/echo").then()
                .statusCode(400)
                .body("type", equalTo("urn:tether:problem:malformed-json"))
                .body("errors.field", contains("count"))
                .body(not(containsString("many")));
        authed().contentType("application/json").body("{\"platform\": {\"a\": 1}}").post("/v1/echo").then()
                .statusCode(400)
                .body("type", equalTo("urn:tether:problem:malformed-json"))
                .body("errors.field", contains("platform"));
    }

    @Test
    void frameworkExceptionsKeepTheirStatus() {
        authed().get("/v1/problems/not-found").then()
                .statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:not-found"))
                .body(not(containsString("internal detail")));
        authed().delete("/v1/echo").then()
                .statusCode(405)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("about:blank"));
        authed().contentType("text/plain").body("x").post("/v1/echo").then()
                .statusCode(415)
                .contentType(PROBLEM_JSON);
    }

    @Test
    void problemExceptionsKeepTheirStatusAlsoFromAFailedStage() {
        authed().get("/v1/problems/conflict").then()
                .statusCode(409)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:conflict"))
                .body("detail", equalTo("device exists"));
        authed().get("/v1/problems/async/conflict").then()
                .statusCode(409)
                .body("type", equalTo("urn:tether:problem:conflict"));
    }

    @Test
    void unexpectedExceptionsAre500WithoutInternals() {
        authed().get("/v1/problems/boom").then()
                .statusCode(500)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:internal"))
                .body("detail", startsWith("unexpected error, reference "))
                .body(not(containsString("secret")))
                .body(not(containsString("IllegalState")));
        authed().get("/v1/problems/async/boom").then()
                .statusCode(500)
                .body(not(containsString("secret")));
    }

    @Test
    void unknownPathsUnderV1AreNotFoundProblems() {
        authed().get("/v1/no-such-thing").then()
                .statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:not-found"));
    }
}
