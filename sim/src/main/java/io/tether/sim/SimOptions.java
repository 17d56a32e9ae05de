package io.tether.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;

/**
 * The simulator's command line: a command, its words, and {@code --name value} options. Where Tether is defaults to
 * the local run ({@code deploy/local/up}): the ports of its TETHER_* variables and the API key it keeps in TETHER_HOME.
 */
record SimOptions(String command, List<String> words, Map<String, String> options, Map<String, String> env) {

    static SimOptions parse(String[] args, Map<String, String> env) {
        List<String> words = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String name = args[i].substring(2);
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    options.put(name.substring(0, eq), name.substring(eq + 1));
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    options.put(name, args[++i]);
                } else {
                    options.put(name, "true");
                }
            } else {
                words.add(args[i]);
            }
        }
        String command = words.isEmpty() ? "help" : words.remove(0);
        return new SimOptions(command, List.copyOf(words), Map.copyOf(options), env);
    }

    String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    int number(String name, int fallback) {
        String value = options.get(name);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, not " + value);
        }
    }

    private String local(String portVariable, String defaultPort) {
        return env.getOrDefault(portVariable, defaultPort);
    }

    String registry() {
        return option("registry", "http://127.0.0.1:" + local("TETHER_REGISTRY_PORT", "8081"));
    }

    String fanout() {
        return option("fanout", "http://127.0.0.1:" + local("TETHER_FANOUT_PORT", "8080"));
    }

    Endpoint mqtt() {
        return Endpoint.parse(option("mqtt", "mqtt://127.0.0.1:" + local("TETHER_MQTT_PORT", "1883")));
    }

    /** Where "reconnect elsewhere" goes: another gateway's address, else the same one. */
    Endpoint mqttElsewhere() {
        return options.containsKey("mqtt-alt") ? Endpoint.parse(options.get("mqtt-alt")) : mqtt();
    }

    /** How long to wait for Tether to fall back (ack timeout, keepalive) or deliver. */
    Duration patience() {
        return Duration.ofSeconds(number("wait", 20));
    }

    String platform() {
        return option("platform", "ios");
    }

    String appId() {
        return option("app-id", "com.example.app");
    }

    Path home() {
        return Path.of(env.getOrDefault("TETHER_HOME", ".tether/local"));
    }

    String apiKey() {
        if (options.containsKey("api-key")) {
            return options.get("api-key");
        }
        String fromEnv = env.get("TETHER_API_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        Path file = home().resolve("api-key");
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalArgumentException("no API key: give --api-key, set TETHER_API_KEY, or run deploy/local/up (which keeps one in "
                    + file + ")");
        }
    }

    /** Trust for mqtts/wss: --cafile, else the local run's CA when it exists, else the JDK's default trust. */
    TrustManagerFactory trust() {
        Path ca = options.containsKey("cafile") ? Path.of(options.get("cafile")) : home().resolve("tls/tether-local-ca.crt");
        if (!Files.exists(ca)) {
            if (options.containsKey("cafile")) {
                throw new IllegalArgumentException("--cafile " + ca + " does not exist");
            }
            return null;
        }
        try (InputStream in = Files.newInputStream(ca)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the CA certificate " + ca + ": " + e.getMessage(), e);
        }
    }
}
