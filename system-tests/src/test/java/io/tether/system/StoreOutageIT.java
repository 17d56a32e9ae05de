package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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
        // The send waits for tether.redis.command-timeout (2 s).
        assertRefusedThenAcceptedOnRetry(stack::freezeRedis, stack::thawRedis);
    }

    /** Redis at maxmemory with noeviction refuses writes ("OOM command not allowed"): an outage, not a bug. */
    @Test
    void aSendWhileRedisIsFullIs503WithRetryAfterAndItsRetryIsAcceptedOnceThereIsRoom() {
        assertRefusedThenAcceptedOnRetry(() -> stack.redis("CONFIG", "SET", "maxmemory", "1"),
                () -> stack.redis("CONFIG", "SET", "maxmemory", "0"));
    }

    /** A batch stops at the first message Redis could not take: it and the rest are answered 503. */
    @Test
    void aBatchWhileRedisIsFrozenAnswers503ForThatMessageAndTheRest() {
        Api.Device tv = api.register("tvos");
        Map<String, Object> batch = Map.of("messages", List.of(
                Map.of("to", Map.of("device", tv.id()), "payload", "first"),
                Map.of("to", Map.of("device", tv.id()), "payload", "second")));

        Response answered = during(stack::freezeRedis, stack::thawRedis,
                () -> api.fanout(TetherStack.API_KEY).body(batch).post("/v1/messages/batch"));
        assertEquals(200, answered.statusCode(), answered.asString());
        assertEquals(List.of(503, 503), answered.jsonPath().getList("results.status"));
        assertEquals("urn:tether:problem:unavailable", answered.jsonPath().getString("results[0].problem.type"));
    }

    /** The answer to {@code request} made while {@code fault} holds; {@code undo} runs whatever happens. */
    private static Response during(Runnable fault, Runnable undo, Supplier<Response> request) {
        fault.run();
        try {
            return request.get();
        } finally {
            undo.run();
        }
    }

    /** A send during the fault is 503 problem+json with Retry-After; the same send with its key is accepted after it. */
    private static void assertRefusedThenAcceptedOnRetry(Runnable fault, Runnable undo) {
        Api.Device tv = api.register("tvos");
        Map<String, Object> body = Map.of("to", Map.of("device", tv.id()), "payload", "during the fault");
        String key = "fault-" + System.nanoTime();

        Response refused = during(fault, undo, () -> send(body, key));
        assertEquals(503, refused.statusCode(), refused.asString());
        assertEquals("1", refused.header("Retry-After"));
        assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());

        assertAcceptedOnRetry(body, key, tv);
    }

    private static void assertAcceptedOnRetry(Map<String, Object> body, String key, Api.Device device) {
        Response accepted = send(body, key);
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String id = accepted.path("messageId");
        await().atMost(DEADLINE).until(() -> "queued".equals(api.status(id, device.id())));
    }
}
