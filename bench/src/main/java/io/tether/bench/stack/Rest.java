package io.tether.bench.stack;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The backend's side: an async HTTP/1.1 client (Vert.x, keep-alive, a bounded connection pool) for Tether's REST
 * APIs with the API key.
 */
public final class Rest implements AutoCloseable {
    /** Status and body of an answer. */
    public record Answer(int status, String body) {
        /** The value of a top-level string field, found without a JSON parser (the answers are small and flat). */
        public String field(String name) {
            return Rest.field(body, name);
        }
    }

    /**
     * Longest wait for a whole answer. Besides Vert.x's own request timeout below, because twice on 2026-12-05 a
     * registration's request was neither answered nor timed out (cause not found): every request ends by this deadline
     * (TimeoutException).
     */
    public static final Duration DEADLINE = Duration.ofSeconds(90);

    private final Vertx vertx;
    private final HttpClient client;
    private final String authorization;

    public Rest(String apiKey, int poolSize) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setConnectTimeout(5000).setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(poolSize));
        this.authorization = "Bearer " + apiKey;
    }

    /** POST {@code json} to 127.0.0.1:{@code port}{@code path}. */
    public CompletableFuture<Answer> post(int port, String path, String json) {
        return send(HttpMethod.POST, port, path, json);
    }

    public CompletableFuture<Answer> put(int port, String path, String json) {
        return send(HttpMethod.PUT, port, path, json);
    }

    public CompletableFuture<Answer> get(int port, String path) {
        return send(HttpMethod.GET, port, path, null);
    }

    private CompletableFuture<Answer> send(HttpMethod method, int port, String path, String json) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path)
                .putHeader("Authorization", authorization).setTimeout(60_000);
        if (json != null) {
            options.putHeader("Content-Type", "application/json");
        }
        return client.request(options)
                .compose(request -> json == null ? request.send() : request.send(Buffer.buffer(json)))
                .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body.toString())))
                .toCompletionStage().toCompletableFuture().orTimeout(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            client.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("bench: closing the HTTP client: " + e);
        }
    }

    static String field(String json, String name) {
        String key = "\"" + name + "\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return null;
        }
        int colon = json.indexOf(':', at + key.length());
        int open = json.indexOf('"', colon + 1);
        if (colon < 0 || open < 0) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = open + 1; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\\' && i + 1 < json.length()) {
                out.append(json.charAt(++i));
            } else if (c == '"') {
                return out.toString();
            } else {
                out.append(c);
            }
        }
        return null;
    }

    /** A JSON string literal of {@code text}. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
