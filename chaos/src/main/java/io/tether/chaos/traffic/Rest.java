package io.tether.chaos.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The backend's side of Tether's REST APIs, with the API key: JSON in, status and JSON out. */
public final class Rest {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String apiKey;

    public Rest(String apiKey) {
        this.apiKey = apiKey;
    }

    /** An answer: HTTP status and the body parsed as JSON (null when it is not JSON). */
    public record Answer(int status, JsonNode body) {
        public String field(String name) {
            JsonNode node = body == null ? null : body.get(name);
            return node == null || node.isNull() ? null : node.asText();
        }
    }

    public CompletableFuture<Answer> postAsync(String url, Object body, Duration timeout) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(Rest::answer);
    }

    public Answer post(String url, Object body) {
        return postAsync(url, body, Duration.ofSeconds(30)).join();
    }

    public Answer get(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + apiKey).GET().build();
        try {
            return answer(http.send(request, HttpResponse.BodyHandlers.ofByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Answer answer(HttpResponse<byte[]> response) {
        JsonNode body;
        try {
            body = response.body().length == 0 ? null : JSON.readTree(response.body());
        } catch (IOException notJson) {
            body = null;
        }
        return new Answer(response.statusCode(), body);
    }
}
