package io.tether.testkit.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the local runner reads from the environment, with the defaults of DESIGN.md §6. */
record LocalSettings(Path home, String apiKey, Map<String, Integer> ports) {
    static final String MQTT = "TETHER_MQTT_PORT";
    static final String MQTT_WS = "TETHER_MQTT_WS_PORT";
    static final String FANOUT = "TETHER_FANOUT_PORT";
    static final String REGISTRY = "TETHER_REGISTRY_PORT";
    static final String PUSH = "TETHER_PUSH_PORT";
    static final String GATEWAY_HTTP = "TETHER_GATEWAY_HTTP_PORT";
    static final String WEBHOOK = "TETHER_WEBHOOK_PORT";
    static final String KAFKA = "TETHER_KAFKA_PORT";
    static final String KAFKA_CONTROLLER = "TETHER_KAFKA_CONTROLLER_PORT";
    static final String REDIS = "TETHER_REDIS_PORT";
    static final String APNS = "TETHER_APNS_PORT";

    private static final Map<String, Integer> DEFAULT_PORTS = defaults();

    static LocalSettings from(Map<String, String> env, Path root) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        DEFAULT_PORTS.forEach((name, fallback) -> ports.put(name, port(env, name, fallback)));
        String home = env.get("TETHER_HOME");
        String apiKey = env.get("TETHER_API_KEY");
        return new LocalSettings(
                home == null || home.isBlank() ? root.resolve(".tether/local") : Path.of(home).toAbsolutePath(),
                apiKey == null || apiKey.isBlank() ? null : apiKey.trim(),
                Map.copyOf(ports));
    }

    int port(String envName) {
        return ports.get(envName);
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + "=" + value + " is not a TCP port (1-65535)");
    }

    private static Map<String, Integer> defaults() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put(MQTT, 1883);
        ports.put(MQTT_WS, 8084);
        ports.put(FANOUT, 8080);
        ports.put(REGISTRY, 8081);
        ports.put(PUSH, 8082);
        ports.put(GATEWAY_HTTP, 8083);
        ports.put(WEBHOOK, 8085);
        ports.put(KAFKA, 19092);
        ports.put(KAFKA_CONTROLLER, 19093);
        ports.put(REDIS, 16379);
        ports.put(APNS, 8443);
        return ports;
    }
}
