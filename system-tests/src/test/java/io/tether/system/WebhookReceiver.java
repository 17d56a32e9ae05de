package io.tether.system;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tether.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend's webhook endpoint: a real HTTP server (the JDK's) on a free port that records every request it gets, per
 * path, and answers 500 to the first {@link #failFirst} requests of a path, or to all while {@link #broken} says so.
 */
final class WebhookReceiver implements AutoCloseable {
    /** One request as it arrived. */
    record Received(String path, Map<String, String> headers, String body, int answered) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, Boolean> broken = new ConcurrentHashMap<>();

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", Ports.free()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next {@code n} requests to {@code path} are answered 500. */
    void failFirst(String path, int n) {
        failuresLeft.put(path, new AtomicInteger(n));
    }

    /** Every request to {@code path} is answered 500 while {@code on}. */
    void broken(String path, boolean on) {
        broken.put(path, on);
    }

    List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The requests to {@code path} that were answered 2xx, once per webhook-id, in the order they arrived. */
    List<Received> accepted(String path) {
        List<Received> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Received r : received(path)) {
            if (r.answered() < 300 && seen.add(r.header("webhook-id"))) {
                out.add(r);
            }
        }
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new java.util.HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
        AtomicInteger left = failuresLeft.get(path);
        boolean fail = Boolean.TRUE.equals(broken.get(path)) || (left != null && left.getAndDecrement() > 0);
        int status = fail ? 500 : 204;
        received.add(new Received(path, Map.copyOf(headers), body, status));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
