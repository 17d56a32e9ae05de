package io.tether.registry.apikey.rest;

import static io.tether.registry.support.TestApi.PROBLEM_JSON;
import static io.tether.registry.support.TestApi.admin;
import static io.tether.registry.support.TestApi.anonymous;
import static io.tether.registry.support.TestApi.bearer;
import static io.tether.registry.support.TestApi.key;
import static io.tether.registry.support.TestApi.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.tether.contract.ApiKeyFields;
import io.tether.contract.RedisKeys;
import io.tether.registry.support.TestRedis;
import io.tether.rest.auth.ApiKeyHash;
import io.tether.testkit.TetherInfraResource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /v1/api-keys: keys shown once, stored hashed, listed without the key, deleted by id. */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class ApiKeyResourceIT {
    @ConfigProperty(name = "tether.redis.uri")
    String redisUri;

    private TestRedis redis;

    @BeforeEach
    void connect() {
        redis = new TestRedis(redisUri);
    }

    @AfterEach
    void disconnect() {
        redis.close();
    }

    private static ExtractableResponse<Response> create(String name, List<String> scopes) {
        return admin().body(Map.of("name", name, "scopes", scopes)).post("/v1/api-keys").then().statusCode(201).extract();
    }

    @Test
    void createShowsTheKeyOnceAndStoresOnlyItsHash() {
        String name = unique("backend");
        ExtractableResponse<Response> created = create(name, List.of("devices:write", "devices:read"));
        String key = created.path("key");
        String id = created.path("id");

        assertTrue(key.matches("tk_[A-Za-z0-9_-]{43}"), "tk_ and 32 random bytes base64url");
        assertTrue(id.matches("ak_[0-9a-f]{16}"), id);
        assertEquals("/v1/api-keys/" + id, created.header("Location"));
        assertEquals("no-store", created.header("Cache-Control"));
        assertEquals(name, created.path("name"));
        assertEquals(List.of("devices:read", "devices:write"), created.path("scopes"));
        Instant.parse(created.path("createdAt"));

        Map<String, String> stored = redis.sync().hgetall(RedisKeys.apiKey(ApiKeyHash.sha256Hex(key)));
        assertEquals(id, stored.get(ApiKeyFields.ID));
        assertEquals(name, stored.get(ApiKeyFields.NAME));
        assertEquals("devices:read,devices:write", stored.get(ApiKeyFields.SCOPES));
        assertEquals(String.valueOf(Instant.parse(created.path("createdAt")).toEpochMilli()), stored.get(ApiKeyFields.CREATED_AT));
        assertFalse(stored.containsValue(key));
        assertEquals(ApiKeyHash.sha256Hex(key), redis.sync().hget(RedisKeys.apiKeyIds(), id));
        assertEquals(id, redis.sync().hget(RedisKeys.apiKeyNames(), name));

        bearer(key).queryParam("limit", 1).get("/v1/devices").then().statusCode(200);
    }

    @Test
    void listShowsKeysButNeverTheKeyItself() {
        String name = unique("lister");
        String key = create(name, List.of("messages:send")).path("key");
        String body = admin().get("/v1/api-keys").then()
                .statusCode(200)
                .body("items.name", hasItem(name))
                .body("items.find { it.name == '" + name + "' }.scopes", contains("messages:send"))
                .extract().asString();
        assertFalse(body.contains(key));
        assertFalse(body.contains(ApiKeyHash.sha256Hex(key)));
        assertFalse(body.contains("\"key\""));
    }

    @Test
    void aDeletedKeyStopsWorkingAtOnceOnThisInstance() {
        ExtractableResponse<Response> created = create(unique("doomed"), List.of("devices:read"));
        String key = created.path("key");
        String id = created.path("id");
        bearer(key).queryParam("limit", 1).get("/v1/devices").then().statusCode(200);

        admin().delete("/v1/api-keys/" + id).then().statusCode(204);

        bearer(key).queryParam("limit", 1).get("/v1/devices").then().statusCode(401);
        assertEquals(0L, redis.sync().exists(RedisKeys.apiKey(ApiKeyHash.sha256Hex(key))));
        assertFalse(redis.sync().hexists(RedisKeys.apiKeyIds(), id));
        admin().get("/v1/api-keys").then().body("items.id", not(hasItem(id)));
        admin().delete("/v1/api-keys/" + id).then().statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void aNameInUseIsAConflictAndFreeAgainAfterDelete() {
        String name = unique("unique");
        String id = create(name, List.of("admin")).path("id");
        admin().body(Map.of("name", name, "scopes", List.of("devices:read"))).post("/v1/api-keys").then()
                .statusCode(409)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:conflict"))
                .body(not(containsString("tk_")));
        admin().delete("/v1/api-keys/" + id).then().statusCode(204);
        create(name, List.of("devices:read"));
    }

    @Test
    void invalidRequestsNameTheFields() {
        admin().body("{\"scopes\": [\"root\", null]}").post("/v1/api-keys").then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:validation"))
                .body("errors.field", containsInAnyOrder("name", "scopes[0]", "scopes[1]"));
        admin().body("{\"name\": \" spaced\", \"scopes\": []}").post("/v1/api-keys").then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("name", "scopes"));
        admin().post("/v1/api-keys").then().statusCode(400);
    }

    @Test
    void unknownKeyIdsAreNotFound() {
        admin().delete("/v1/api-keys/ak_0000000000000000").then()
                .statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:not-found"));
        admin().delete("/v1/api-keys/bootstrap").then().statusCode(404);
    }

    @Test
    void onlyAdminsManageKeys() {
        String writer = key("devices:write", "devices:read", "messages:send");
        bearer(writer).get("/v1/api-keys").then().statusCode(403).body("type", equalTo("urn:tether:problem:forbidden"));
        bearer(writer).body(Map.of("name", unique("x"), "scopes", List.of("admin"))).post("/v1/api-keys").then().statusCode(403);
        bearer(writer).delete("/v1/api-keys/ak_0000000000000000").then().statusCode(403);
        anonymous().get("/v1/api-keys").then().statusCode(401).contentType(PROBLEM_JSON);
        String storedAdmin = key("admin");
        bearer(storedAdmin).get("/v1/api-keys").then().statusCode(200);
    }
}
