package io.tether.registry;

import static io.tether.registry.support.TestApi.admin;
import static io.tether.registry.support.TestApi.bearer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lettuce.core.RedisClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tether.registry.support.AofRedisResource;
import io.tether.registry.support.TestApi;
import io.tether.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A registry that loses devices when Redis restarts is a bug: devices created through the REST API are all
 * there after the real redis-server (append-only on, as production must run it) is stopped and started.
 */
@QuarkusTest
@TestProfile(DeviceDurabilityIT.OwnRedis.class)
class DeviceDurabilityIT {
    private static final int DEVICES = 60;
    private static final List<String> PLATFORMS = List.of("ios", "ipados", "macos", "tvos", "watchos");

    /** Only the Redis of this test: not the shared one, and no Kafka. */
    public static class OwnRedis implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(AofRedisResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @AofRedisResource.Server
    RedisServer redis;

    @Test
    void everyDeviceSurvivesARedisRestart() {
        // GIVEN devices of several users, apps and platforms, a grant and an API key, all written through the API
        Map<String, Map<String, Object>> before = new HashMap<>();
        for (int i = 0; i < DEVICES; i++) {
            String id = TestApi.device(Map.of("platform", PLATFORMS.get(i % PLATFORMS.size()),
                    "appId", "com.example.durable" + (i % 3), "userId", "durable-user-" + (i % 7),
                    "pushToken", "%064x".formatted(i + 1))).id();
            before.put(id, admin().get("/v1/devices/" + id).then().statusCode(200).extract().jsonPath().getMap("$"));
        }
        String someDevice = before.keySet().iterator().next();
        admin().body("[{\"filter\": \"chat/#\", \"actions\": [\"subscribe\"]}]").put("/v1/devices/" + someDevice + "/grants")
                .then().statusCode(200);
        String apiKey = TestApi.key("devices:read");
        assertEquals(List.of("appendonly", "yes"), config("appendonly"));

        // WHEN the server stops (SIGTERM) and starts again on its files
        redis.restart();

        // THEN, once the registry has reconnected, every device reads back exactly as before
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> admin().get("/v1/devices/" + someDevice).statusCode() == 200);
        for (Map.Entry<String, Map<String, Object>> device : before.entrySet()) {
            Map<String, Object> after = admin().get("/v1/devices/" + device.getKey()).then().statusCode(200)
                    .extract().jsonPath().getMap("$");
            assertEquals(device.getValue(), after, device.getKey());
        }
        // and so do the indexes, the grants and the stored key
        assertEquals(before.keySet(), listAll());
        admin().get("/v1/devices/" + someDevice + "/grants").then().statusCode(200).body("filter", contains("chat/#"));
        bearer(apiKey).get("/v1/users/durable-user-3/devices").then().statusCode(200);
        assertEquals(DEVICES / 7 + (3 < DEVICES % 7 ? 1 : 0),
                admin().get("/v1/users/durable-user-3/devices").then().extract().jsonPath().getList("items").size());
    }

    private static Set<String> listAll() {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            var request = admin().queryParam("limit", 25);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/devices").then().statusCode(200).extract().jsonPath();
            ids.addAll(page.getList("items.id"));
            cursor = page.getString("next");
        } while (cursor != null);
        return ids;
    }

    private List<String> config(String name) {
        RedisClient client = RedisClient.create(redis.uri());
        try {
            Map<String, String> value = client.connect().sync().configGet(name);
            List<String> pair = new ArrayList<>();
            value.forEach((k, v) -> {
                pair.add(k);
                pair.add(v);
            });
            return pair;
        } finally {
            client.shutdown();
        }
    }
}
