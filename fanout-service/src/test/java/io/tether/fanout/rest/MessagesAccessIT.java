package io.tether.fanout.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lettuce.core.RedisClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.tether.contract.ApiKeyFields;
import io.tether.contract.DeviceId;
import io.tether.contract.MessageId;
import io.tether.contract.RedisKeys;
import io.tether.rest.auth.ApiKeyHash;
import io.tether.testkit.ChunkedPost;
import io.tether.testkit.TetherInfraResource;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Who may use /v1/messages: API keys the registry stored (read here from fanout's own Redis), by scope; and
 * bodies that are too large are 413 problems, with or without a Content-Length.
 */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class MessagesAccessIT {
    private static final String PROBLEM_JSON = "application/problem+json";

    @ConfigProperty(name = "tether.redis.uri")
    String redisUri;

    @TestHTTPResource("/")
    URI base;

    /** Stores a key as the registry does; answers the key. */
    private String key(String scopes) {
        String key = "tk_" + UUID.randomUUID();
        RedisClient client = RedisClient.create(redisUri);
        try {
            client.connect().sync().hset(RedisKeys.apiKey(ApiKeyHash.sha256Hex(key)), Map.of(ApiKeyFields.ID, "ak_" + scopes,
                    ApiKeyFields.NAME, scopes, ApiKeyFields.SCOPES, scopes, ApiKeyFields.CREATED_AT, "1700000000000"));
        } finally {
            client.shutdown();
        }
        return key;
    }

    private static RequestSpecification bearer(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    private static String toUnknownDevice() {
        return "{\"to\": {\"device\": \"" + DeviceId.random() + "\"}, \"payload\": \"hi\"}";
    }

    @Test
    void sendingNeedsMessagesSend() {
        // an unknown device is 404: past authentication and the scope check
        bearer(key("messages:send")).body(toUnknownDevice()).post("/v1/messages").then()
                .statusCode(404).contentType(PROBLEM_JSON);
        bearer(key("admin")).body(toUnknownDevice()).post("/v1/messages").then().statusCode(404);
        for (String scopes : new String[] {"devices:read", "devices:write"}) {
            bearer(key(scopes)).body(toUnknownDevice()).post("/v1/messages").then()
                    .statusCode(403)
                    .contentType(PROBLEM_JSON)
                    .body("type", equalTo("urn:tether:problem:forbidden"));
        }
        given().contentType(ContentType.JSON).body(toUnknownDevice()).post("/v1/messages").then()
                .statusCode(401)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:unauthorized"));
    }

    @Test
    void readingAStatusNeedsMessagesSendOrDevicesRead() {
        String path = "/v1/messages/" + MessageId.random();
        bearer(key("messages:send")).get(path).then().statusCode(404);
        bearer(key("devices:read")).get(path).then().statusCode(404);
        bearer(key("devices:write")).get(path).then().statusCode(403).contentType(PROBLEM_JSON);
        given().get(path).then().statusCode(401);
    }

    @Test
    void aBodyAboveTheHttpLimitIs413AsAProblem() {
        String padding = "x".repeat(1024 * 1024 + 1);
        String body = "{\"to\": {\"device\": \"" + DeviceId.random() + "\"}, \"payload\": \"" + padding + "\"}";
        bearer(key("messages:send")).body(body).post("/v1/messages").then()
                .statusCode(413)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:payload-too-large"));
    }

    /** Sends {@code body} without a Content-Length: chunked, its size known only while fanout reads it. */
    private HttpResponse<String> sendChunked(String key, String body) throws Exception {
        return ChunkedPost.send(base.resolve("/v1/messages"), key, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aChunkedBodyAboveTheHttpLimitIs413AsAProblem() throws Exception {
        String padding = "x".repeat(1024 * 1024 + 1);
        HttpResponse<String> answer = sendChunked(key("messages:send"),
                "{\"to\": {\"device\": \"" + DeviceId.random() + "\"}, \"payload\": \"" + padding + "\"}");
        assertEquals(413, answer.statusCode(), answer.body());
        assertEquals(PROBLEM_JSON, answer.headers().firstValue("Content-Type").orElse(""));
        assertThat(answer.body(), containsString("\"type\":\"urn:tether:problem:payload-too-large\""));
    }

    @Test
    void aChunkedBodyWithinTheHttpLimitIsRead() throws Exception {
        // Beyond what Quarkus REST reads ahead on the event loop (10K): the rest streams in on a worker.
        String payload = "x".repeat(100 * 1024);
        HttpResponse<String> answer = sendChunked(key("messages:send"),
                "{\"to\": {\"device\": \"" + DeviceId.random() + "\"}, \"payload\": \"" + payload + "\"}");
        assertEquals(404, answer.statusCode(), "read through to the unknown device: " + answer.body());
        assertEquals(PROBLEM_JSON, answer.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void aDecodedPayloadAboveTheMessageLimitIs413AsAProblem() {
        String payload = Base64.getEncoder().encodeToString(new byte[256 * 1024 + 1]);
        String body = "{\"to\": {\"device\": \"" + DeviceId.random() + "\"}, \"payloadBase64\": \"" + payload + "\"}";
        bearer(key("messages:send")).body(body).post("/v1/messages").then()
                .statusCode(413)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:payload-too-large"))
                .body("detail", containsString("payload"));
    }
}
