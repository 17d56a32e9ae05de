package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** While Redis does not answer or is full, the REST API says so as an outage (503, Retry-After), not as a bug (500). */
class StoreOutageIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static TetherStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
    }

    private static Response send(Map<String, Object> body, String idempotencyKey) {
        return api.fanout(TetherStack.API_KEY).header("Idempotency-Key", idempotencyKey).body(body).post("/v1/messages");
    }

    @Test
    void aSendWhileRedisIsFrozenIs503WithRetryAfterAndItsRetryIsAcceptedOnceRedisIsBack() {
        Api.Device tv = api.register("tvos");
        Map<String, Object> body = Map.of("to", Map.of("device", tv.id()), "payload", "during the outage");
        String key = "outage-" + System.nanoTime();

        Response refused;
        stack.freezeRedis();
        try {
            refused = send(body, key); // waits for tether.redis.command-timeout (2 s)
        } finally {
            stack.thawRedis();
        }
        assertEquals(503, refused.statusCode(), refused.asString());
        assertEquals("1", refused.header("Retry-After"));
        assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());

        assertAcceptedOnRetry(body, key, tv);
    }

    /** Redis at maxmemory with noeviction refuses writes ("OOM command not allowed"): an outage, not a bug. */
    @Test
    void aSendWhileRedisIsFullIs503WithRetryAfterAndItsRetryIsAcceptedOnceThereIsRoom() {
        Api.Device tv = api.register("tvos");
        Map<String, Object> body = Map.of("to", Map.of("device", tv.id()), "payload", "while full");
        String key = "full-" + System.nanoTime();

        Response refused;
        stack.redis("CONFIG", "SET", "maxmemory", "1");
        try {
            refused = send(body, key);
        } finally {
            stack.redis("CONFIG", "SET", "maxmemory", "0");
        }
        assertEquals(503, refused.statusCode(), refused.asString());
        assertEquals("1", refused.header("Retry-After"));

        assertAcceptedOnRetry(body, key, tv);
    }

    /** A batch stops at the first message Redis could not take: it and the rest are 503, none was accepted. */
    @Test
    void aBatchWhileRedisIsFrozenAnswers503ForThatMessageAndTheRest() {
        Api.Device tv = api.register("tvos");
        Map<String, Object> batch = Map.of("messages", java.util.List.of(
                Map.of("to", Map.of("device", tv.id()), "payload", "first"),
                Map.of("to", Map.of("device", tv.id()), "payload", "second")));

        Response answered;
        stack.freezeRedis();
        try {
            answered = api.fanout(TetherStack.API_KEY).body(batch).post("/v1/messages/batch");
        } finally {
            stack.thawRedis();
        }
        assertEquals(200, answered.statusCode(), answered.asString());
        assertEquals(java.util.List.of(503, 503), answered.jsonPath().getList("results.status"));
        assertEquals("urn:tether:problem:unavailable", answered.jsonPath().getString("results[0].problem.type"));
    }

    private static void assertAcceptedOnRetry(Map<String, Object> body, String key, Api.Device device) {
        Response accepted = send(body, key);
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String id = accepted.path("messageId");
        await().atMost(DEADLINE).until(() -> "queued".equals(api.status(id, device.id())));
    }
}
