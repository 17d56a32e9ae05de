package io.tether.sim;

import java.net.URI;

/**
 * Where devices connect: {@code mqtt://host:port}, {@code mqtts://host:port} (TLS), {@code ws://host:port/mqtt} or
 * {@code wss://host:port/mqtt}.
 */
record Endpoint(String scheme, String host, int port, String path) {

    static Endpoint parse(String url) {
        URI uri = URI.create(url);
        String scheme = uri.getScheme() == null ? "mqtt" : uri.getScheme();
        int defaultPort = switch (scheme) {
            case "mqtt" -> 1883;
            case "mqtts" -> 8883;
            case "ws" -> 8084;
            case "wss" -> 8086;
            default -> throw new IllegalArgumentException("unknown MQTT URL scheme " + scheme + ": use mqtt, mqtts, ws or wss");
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in " + url);
        }
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/mqtt" : uri.getPath();
        return new Endpoint(scheme, uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort(), path);
    }

    boolean tls() {
        return scheme.equals("mqtts") || scheme.equals("wss");
    }

    boolean webSocket() {
        return scheme.startsWith("ws");
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port + (webSocket() ? path : "");
    }
}
