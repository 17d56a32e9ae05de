package io.tether.registry.device.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testkit.OpenApiDocs;
import io.tether.testkit.TetherInfraResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Health and OpenAPI stay open (no API key) and say what operators and client authors need. */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class OperationsEndpointsIT {

    @Test
    void readinessPingsRedis() {
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("redis"));
    }

    @Test
    void openApiDescribesTheDeviceApiAndItsBearerAuth() {
        given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200)
                .body("paths", hasKey("/v1/devices"))
                .body("paths", hasKey("/v1/devices/{id}"))
                .body("paths", hasKey("/v1/devices/{id}/grants"))
                .body("paths", hasKey("/v1/devices/{id}/credentials/rotate"))
                .body("paths", hasKey("/v1/devices/{id}/credentials/revoke"))
                .body("paths", hasKey("/v1/devices/{id}/push-token"))
                .body("paths", hasKey("/v1/users/{userId}/devices"))
                .body("paths", hasKey("/v1/users/{userId}/grants"))
                .body("paths", hasKey("/v1/api-keys"))
                .body("paths", hasKey("/v1/api-keys/{keyId}"))
                .body("components.securitySchemes.apiKey.scheme", equalTo("bearer"))
                .body("components.securitySchemes.deviceBasic.scheme", equalTo("basic"));
    }

    /** Every /v1 operation is described as needing credentials (Swagger UI then sends them). */
    @Test
    void everyApiOperationNamesItsCredentials() {
        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().path("paths");
        assertEquals(List.of(), OpenApiDocs.operationsWithoutCredentials(paths), "operations without a security requirement");
    }

    @Test
    void theDevicesOwnCredentialsAreOfferedWhereTheDeviceMayCall() {
        given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200)
                .body("paths.'/v1/devices/{id}/push-tokens'.get.security", equalTo(List.of(
                        Map.of("apiKey", List.of()), Map.of("deviceBasic", List.of()))))
                .body("paths.'/v1/devices/{id}/push-token'.put.security", equalTo(List.of(
                        Map.of("apiKey", List.of()), Map.of("deviceBasic", List.of()))))
                .body("paths.'/v1/apps'.get.security", equalTo(List.of(Map.of("apiKey", List.of()))));
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void metricsAreExposed() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }
}
