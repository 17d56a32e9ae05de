package io.tether.rest.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testkit.ChunkedPost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bodies without a Content-Length (chunked), measured only while they are read, against
 * quarkus.http.limits.max-body-size (64K in this module's tests): a 413 problem like every other refusal, whichever
 * way Quarkus REST reads the body (/v1/echo on a worker, /v1/echo/later on the event loop, which reads 10K ahead and
 * then streams the rest on a worker), and a connection that neither stalls nor stays open for ever.
 */
@QuarkusTest
@QuarkusTestResource(value = RedisResource.class, restrictToAnnotatedClass = false)
class BodyLimitIT {
    private static final String KEY = "test-bootstrap-key";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final byte[] PIECE = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
    private static final long DRAIN_LIMIT_BYTES = 16L * 1024 * 1024; // BodyLimit's

    @TestHTTPResource("/")
    URI base;

    /** Sends {@code body} without a Content-Length: chunked, its size known only while it is read. */
    private HttpResponse<String> postChunked(String path, byte[] body) throws Exception {
        return ChunkedPost.send(base.resolve(path), KEY, body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/echo", "/v1/echo/later"})
    void aChunkedBodyAboveTheLimitIsA413Problem(String path) throws Exception {
        byte[] big = ("{\"platform\": \"" + "x".repeat(100 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer = postChunked(path, big);
        assertEquals(413, answer.statusCode(), answer.body());
        assertEquals(PROBLEM_JSON, answer.headers().firstValue("Content-Type").orElse(""));
        assertThat(answer.body(), containsString("\"type\":\"urn:tether:problem:payload-too-large\""));
        assertThat(answer.body(), containsString("\"instance\":\"" + path + "\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/echo", "/v1/echo/later"})
    void aChunkedBodyWithinTheLimitIsRead(String path) throws Exception {
        String tag = "x".repeat(40 * 1024);
        byte[] body = ("{\"platform\": \"ios\", \"tags\": [\"" + tag + "\"]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer = postChunked(path, body);
        assertEquals(200, answer.statusCode(), answer.body());
        assertThat(answer.body(), containsString(tag));
    }

    @Test
    void theRestOfARefusedBodyIsReadAndDroppedAndTheConnectionServesTheNextRequest() {
        // 4 MiB, more than socket buffers hold: a server that stopped reading would stall this sender.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (RawHttp connection = new RawHttp(base)) {
                connection.startChunkedPost("/v1/echo/later", KEY);
                connection.chunk("{\"platform\": \"".getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < 64; i++) {
                    connection.chunk(PIECE);
                }
                connection.chunk("\"}".getBytes(StandardCharsets.UTF_8));
                connection.lastChunk();

                RawHttp.Answer refused = connection.answer();
                assertEquals(413, refused.status(), refused.body());
                assertEquals(PROBLEM_JSON, refused.headers().get("content-type"));

                connection.get("/open/ping");
                RawHttp.Answer next = connection.answer();
                assertEquals(200, next.status(), next.body());
                assertEquals("pong", next.body());
            }
        });
    }

    @Test
    void aRefusedBodyThatGoesOnIsAnsweredAndItsConnectionClosedPastTheDrainLimit() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (RawHttp connection = new RawHttp(base)) {
                connection.startChunkedPost("/v1/echo", KEY);
                connection.chunk("{\"platform\": \"".getBytes(StandardCharsets.UTF_8));
                // Read while sending: the answer comes long before the server stops reading.
                CompletableFuture<RawHttp.Answer> answer = CompletableFuture.supplyAsync(() -> {
                    try {
                        return connection.answer();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                long sent = 0;
                try {
                    while (sent < 4 * DRAIN_LIMIT_BYTES) {
                        connection.chunk(PIECE);
                        sent += PIECE.length;
                    }
                    fail("the connection took " + sent + " bytes of a body refused after 64K");
                } catch (IOException closed) {
                    // what the server does past the drain limit
                }
                RawHttp.Answer refused = answer.get(30, TimeUnit.SECONDS);
                assertEquals(413, refused.status(), refused.body());
                assertThat(refused.body(), containsString("urn:tether:problem:payload-too-large"));
                assertTrue(sent > DRAIN_LIMIT_BYTES, "closed only past the drain limit, after " + sent + " bytes");
            }
        });
    }
}
