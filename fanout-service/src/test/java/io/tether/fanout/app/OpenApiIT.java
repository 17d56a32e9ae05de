package io.tether.fanout.app;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testkit.OpenApiDocs;
import io.tether.testkit.TetherInfraResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document fanout serves: the REST resources' annotations and, merged in from META-INF/openapi.yaml,
 * the attachment upload, a Vert.x route the annotation scan does not see.
 */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class OpenApiIT {

    @Test
    void theAttachmentUploadRouteIsDescribedBesideTheMessages() {
        String upload = "paths.'" + AttachmentUploadRoute.PATH + "'.post";
        given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200)
                .body("paths", hasKey("/v1/messages"))
                .body("paths", hasKey("/v1/messages/batch"))
                .body(upload + ".security", equalTo(List.of(Map.of("apiKey", List.of()))))
                .body(upload + ".parameters[0].name", equalTo("name"))
                .body(upload + ".requestBody.content", hasKey("*/*"))
                .body(upload + ".responses.'201'.content.'application/json'.schema.properties", hasKey("attachmentId"))
                .body(upload + ".responses", hasKey("413"))
                .body("components.securitySchemes.apiKey.scheme", equalTo("bearer"));
    }

    @Test
    void everyApiOperationNamesItsCredentials() {
        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().path("paths");
        assertEquals(List.of(), OpenApiDocs.operationsWithoutCredentials(paths), "operations without a security requirement");
    }
}
