package io.tether.registry.grant.rest;

import static io.tether.registry.support.TestApi.PROBLEM_JSON;
import static io.tether.registry.support.TestApi.admin;
import static io.tether.registry.support.TestApi.anonymous;
import static io.tether.registry.support.TestApi.bearer;
import static io.tether.registry.support.TestApi.device;
import static io.tether.registry.support.TestApi.key;
import static io.tether.registry.support.TestApi.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.contract.DeviceId;
import io.tether.contract.RedisKeys;
import io.tether.registry.support.TestRedis;
import io.tether.testkit.TetherInfraResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Topic grants of devices and users, stored where and how the gateway reads them. */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class GrantsResourceIT {
    private static final String TWO_GRANTS = """
            [{"filter": "chat/room1/#", "actions": ["publish", "subscribe"]},
             {"filter": "news/+", "actions": ["subscribe"]}]
            """;

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

    @Test
    void aDevicesGrantsAreReplacedReadAndRemoved() {
        String id = device("ios", unique("com.example.grants"), null).id();
        String path = "/v1/devices/" + id + "/grants";

        admin().body(TWO_GRANTS).put(path).then()
                .statusCode(200)
                .body("filter", contains("chat/room1/#", "news/+"))
                .body("[0].actions", contains("subscribe", "publish"));
        assertEquals(Map.of("chat/room1/#", "subscribe,publish", "news/+", "subscribe"),
                redis.sync().hgetall(RedisKeys.device(id).grants()));

        admin().body("[{\"filter\": \"alerts/#\", \"actions\": [\"publish\"]}]").put(path).then().statusCode(200);
        admin().get(path).then()
                .statusCode(200)
                .body("filter", contains("alerts/#"))
                .body("[0].actions", contains("publish"));

        admin().delete(path).then().statusCode(204);
        admin().get(path).then().statusCode(200).body("$", empty());
        assertEquals(0L, redis.sync().exists(RedisKeys.device(id).grants()));
    }

    @Test
    void deletingADeviceDeletesItsGrants() {
        String id = device("ios", unique("com.example.grants"), null).id();
        admin().body(TWO_GRANTS).put("/v1/devices/" + id + "/grants").then().statusCode(200);
        admin().delete("/v1/devices/" + id).then().statusCode(204);
        assertEquals(0L, redis.sync().exists(RedisKeys.device(id).grants()));
        admin().get("/v1/devices/" + id + "/grants").then().statusCode(404);
    }

    @Test
    void aUsersGrantsAreReplacedReadAndRemoved() {
        String user = unique("grace");
        String path = "/v1/users/" + user + "/grants";
        admin().get(path).then().statusCode(200).body("$", empty());

        admin().body(TWO_GRANTS).put(path).then().statusCode(200).body("filter", contains("chat/room1/#", "news/+"));
        assertEquals(Map.of("chat/room1/#", "subscribe,publish", "news/+", "subscribe"),
                redis.sync().hgetall(RedisKeys.userGrants(user)));
        admin().get(path).then().statusCode(200).body("[1].actions", contains("subscribe"));

        admin().delete(path).then().statusCode(204);
        assertEquals(0L, redis.sync().exists(RedisKeys.userGrants(user)));
    }

    @Test
    void invalidGrantsAreNamedByPosition() {
        String id = device("ios", unique("com.example.grants"), null).id();
        admin().body("""
                [{"filter": "chat/#/x", "actions": ["subscribe"]},
                 {"filter": "$SYS/#", "actions": ["subscribe"]},
                 {"filter": "ok/+", "actions": []},
                 {"filter": "ok/x", "actions": ["subscribe", "retain"]},
                 {"filter": "a+", "actions": ["publish"]},
                 {"filter": "dup", "actions": ["publish"]},
                 {"filter": "dup", "actions": ["subscribe"]},
                 {"actions": ["publish"]}]
                """).put("/v1/devices/" + id + "/grants").then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:validation"))
                .body("errors.field", containsInAnyOrder("grants[0].filter", "grants[1].filter", "grants[2].actions",
                        "grants[3].actions[1]", "grants[4].filter", "grants[6].filter", "grants[7].filter"));

        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            many.add(Map.of("filter", "t/" + i, "actions", List.of("subscribe")));
        }
        admin().body(many).put("/v1/users/" + unique("u") + "/grants").then()
                .statusCode(400)
                .body("errors.field", contains("grants"));
        admin().body("{\"filter\": \"a\"}").put("/v1/devices/" + id + "/grants").then()
                .statusCode(400).body("type", equalTo("urn:tether:problem:malformed-json"));
        admin().put("/v1/devices/" + id + "/grants").then().statusCode(400).body("errors.field", contains("grants"));
        assertEquals(0L, redis.sync().exists(RedisKeys.device(id).grants()), "nothing written");
    }

    @Test
    void unknownDevicesAndImpossibleUsersAreNotFound() {
        String path = "/v1/devices/" + DeviceId.random() + "/grants";
        admin().body(TWO_GRANTS).put(path).then().statusCode(404).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:not-found"));
        admin().get(path).then().statusCode(404);
        admin().delete(path).then().statusCode(404);
        admin().body(TWO_GRANTS).put("/v1/users/a%7Bb%7D/grants").then().statusCode(404);
        admin().get("/v1/users/a%7Bb%7D/grants").then().statusCode(404);
    }

    @Test
    void grantsNeedScopes() {
        String id = device("ios", unique("com.example.grants"), null).id();
        String devicePath = "/v1/devices/" + id + "/grants";
        String userPath = "/v1/users/" + unique("h") + "/grants";
        String reader = key("devices:read");
        for (String path : List.of(devicePath, userPath)) {
            anonymous().get(path).then().statusCode(401);
            anonymous().body(TWO_GRANTS).put(path).then().statusCode(401);
            bearer(reader).get(path).then().statusCode(200);
            bearer(reader).body(TWO_GRANTS).put(path).then().statusCode(403).body("type", equalTo("urn:tether:problem:forbidden"));
            bearer(reader).delete(path).then().statusCode(403);
            bearer(key("messages:send")).get(path).then().statusCode(403);
        }
        bearer(key("devices:write")).body(TWO_GRANTS).put(devicePath).then().statusCode(200);
    }
}
