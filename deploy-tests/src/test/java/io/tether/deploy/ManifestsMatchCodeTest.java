package io.tether.deploy;

import static io.tether.deploy.Objects.map;
import static io.tether.deploy.Objects.maps;
import static io.tether.deploy.Objects.path;
import static io.tether.deploy.Objects.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the manifests promise against what the services do: container ports against what they listen on, probe
 * paths against their health endpoints, and every configuration name (environment variable or property in the
 * mounted application.properties) against the {@code @ConfigMapping} interfaces in their code. A property renamed
 * in the code, or misspelt in the chart, fails here.
 */
class ManifestsMatchCodeTest {
    private static final Path ROOT = Chart.repositoryRoot();
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?}");
    /** Quarkus properties the chart sets, and the extension each needs ("" for the core). */
    private static final Map<String, String> QUARKUS_PROPERTIES = Map.of(
            "quarkus.shutdown.timeout", "",
            "quarkus.otel.", "quarkus-opentelemetry");
    /** Environment variables that are not configuration properties of the service. */
    private static final Set<String> PLAIN_ENV = Set.of("JAVA_MAX_MEM_RATIO", "GC_CONTAINER_OPTIONS", "JAVA_OPTS_APPEND", "JAVA_OPTS",
            "QUARKUS_CONFIG_LOCATIONS");
    private static final Map<Service, ConfigModel> MODELS = new HashMap<>();

    static Stream<Rendering> renderings() {
        return ChartTest.renderings();
    }

    static synchronized ConfigModel model(Service service) {
        return MODELS.computeIfAbsent(service, s -> s.config(ROOT));
    }

    @Test
    void theCodeModelIsReadFromTheSourcesAsSmallRyeNamesIt() {
        ConfigModel gateway = model(Service.GATEWAY_MQTT);
        assertTrue(gateway.byName("tether.gateway.ack-timeout").isPresent(), gateway.properties().keySet().toString());
        assertTrue(gateway.byName("tether.gateway.drain-window").isPresent());
        assertTrue(gateway.byEnv("TETHER_GATEWAY_ID").isPresent());
        assertTrue(gateway.byName("tether.kafka.producer.\"linger.ms\"").isPresent(), "pass-through maps take any key");
        assertTrue(gateway.byName("tether.gateway.no-such-thing").isEmpty());
        ConfigModel push = model(Service.PUSH_SERVICE);
        assertTrue(push.byName("tether.apns.apps.chat.bundle-id").isPresent(), push.properties().keySet().toString());
        assertTrue(push.byName("tether.apns.apps.chat.no-such-thing").isEmpty());
        assertTrue(push.byName("tether.apns.max-in-flight").isPresent());
        assertTrue(model(Service.FANOUT_SERVICE).byEnv("TETHER_API_BOOTSTRAP_KEY").isPresent(), "rest-common's ApiConfig belongs to fanout");
        assertTrue(push.byEnv("TETHER_API_BOOTSTRAP_KEY").isEmpty(), "push-service has no REST API");
        assertEquals("max-in-flight", ConfigModel.kebab("maxInFlight"));
        assertEquals("max-ttl", ConfigModel.kebab("maxTTL"));
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void deploymentsMatchWhatTheServicesListenOnAndRead(Rendering rendering) throws IOException {
        for (Service service : Service.values()) {
            Map<String, Object> deployment = rendering.get("Deployment", service.objectName()).object();
            Map<String, Object> pod = path(deployment, "spec", "template", "spec");
            List<Map<String, Object>> containers = maps(pod, "containers");
            assertEquals(1, containers.size());
            Map<String, Object> container = containers.get(0);
            assertEquals(service.module, container.get("name"));
            Properties config = properties(rendering, service);
            String where = rendering + ": " + service.module;

            checkPorts(service, container, config, where);
            checkProbes(service, container, where);
            checkEnvironment(service, container, config, where);
            checkProperties(service, container, config, where);
            checkConfigMount(service, pod, container, where);
        }
    }

    /** HTTP on quarkus.http.port of the service's application.properties; the gateway's MQTT ports as configured. */
    private static void checkPorts(Service service, Map<String, Object> container, Properties config, String where) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        maps(container, "ports").forEach(p -> ports.put((String) p.get("name"), ((Number) p.get("containerPort")).intValue()));
        Properties app = service.applicationProperties(ROOT);
        assertEquals(Integer.valueOf(app.getProperty("quarkus.http.port", "8080")), ports.get("http"), where + ": HTTP port");
        if (service != Service.GATEWAY_MQTT) {
            assertEquals(Set.of("http"), ports.keySet(), where);
            return;
        }
        ConfigModel code = model(service);
        Map<String, String> listeners = Map.of(
                "mqtt", "tether.mqtt.port",
                "mqtt-tls", "tether.mqtt.tls.port",
                "mqtt-ws", "tether.mqtt.websocket.port",
                "mqtt-wss", "tether.mqtt.websocket.tls-port",
                "device-http", "tether.device-http.port");
        listeners.forEach((portName, property) -> {
            ConfigModel.Property known = code.byName(property)
                    .orElseThrow(() -> new AssertionError(where + ": the gateway no longer reads " + property));
            String configured = Optional.ofNullable(config.getProperty(property)).or(known::defaultValue).orElse("0");
            Integer open = ports.get(portName);
            if ("0".equals(configured)) {
                assertEquals(null, open, where + ": port " + portName + " open although " + property + " is 0");
            } else {
                assertEquals(Integer.valueOf(configured), open, where + ": container port " + portName + " vs " + property);
            }
        });
        assertTrue(listeners.keySet().containsAll(ports.keySet().stream().filter(p -> !p.equals("http")).toList()), where + ": " + ports);
        // Each listener is a server of its own in the gateway's JVM: two on one port cannot both bind.
        assertEquals(ports.size(), Set.copyOf(ports.values()).size(), where + ": two listeners on one container port: " + ports);
    }

    /** SmallRye Health under the non-application root: /q/health/started, /live, /ready. */
    private static void checkProbes(Service service, Map<String, Object> container, String where) {
        assertTrue(service.dependsOn(ROOT, "quarkus-smallrye-health"), where + ": no SmallRye Health, no probes");
        Properties app = service.applicationProperties(ROOT);
        String rootPath = trimSlashes(app.getProperty("quarkus.http.root-path", "/"));
        String nonApplication = trimSlashes(app.getProperty("quarkus.http.non-application-root-path", "q"));
        String health = trimSlashes(app.getProperty("quarkus.smallrye-health.root-path", "health"));
        String base = "/" + Stream.of(rootPath, nonApplication, health).filter(s -> !s.isEmpty()).reduce((a, b) -> a + "/" + b).orElse("");
        Map<String, String> expected = Map.of(
                "startupProbe", base + "/" + trimSlashes(app.getProperty("quarkus.smallrye-health.startup-path", "started")),
                "livenessProbe", base + "/" + trimSlashes(app.getProperty("quarkus.smallrye-health.liveness-path", "live")),
                "readinessProbe", base + "/" + trimSlashes(app.getProperty("quarkus.smallrye-health.readiness-path", "ready")));
        expected.forEach((probe, healthPath) -> {
            Map<String, Object> get = path(container, probe, "httpGet");
            assertEquals(healthPath, get.get("path"), where + ": " + probe);
            assertEquals("http", get.get("port"), where + ": " + probe);
        });
    }

    /** TETHER_* variables are properties the service reads; the rest are references from its properties. */
    private static void checkEnvironment(Service service, Map<String, Object> container, Properties config, String where) {
        ConfigModel code = model(service);
        Set<String> referenced = new HashSet<>();
        for (String value : config.stringPropertyNames().stream().map(config::getProperty).toList()) {
            Matcher reference = REFERENCE.matcher(value);
            while (reference.find()) {
                referenced.add(reference.group(1));
            }
        }
        Set<String> names = new HashSet<>();
        for (Map<String, Object> env : maps(container, "env")) {
            String name = (String) env.get("name");
            assertTrue(names.add(name), where + ": " + name + " set twice");
            if (name.startsWith("TETHER_")) {
                assertTrue(code.byEnv(name).isPresent(), where + ": sets " + name + ", which no @ConfigMapping of " + service.module + " reads");
            } else {
                assertTrue(PLAIN_ENV.contains(name) || referenced.contains(name),
                        where + ": sets " + name + ", which is neither a Tether property nor used by its properties");
            }
        }
        assertTrue(names.containsAll(referenced), where + ": properties reference unset variables " + referenced);
        assertTrue(names.contains("TETHER_REDIS_URI"), where + ": no Redis");
        // The shared runtime module maps tether.kafka.* for every service; the ones that use Kafka have its client.
        boolean usesKafka = service.dependsOn(ROOT, "quarkus-kafka-client");
        assertTrue(!usesKafka || code.byEnv("TETHER_KAFKA_BOOTSTRAP_SERVERS").isPresent(), where + ": Kafka client without Kafka config");
        assertEquals(usesKafka, names.contains("TETHER_KAFKA_BOOTSTRAP_SERVERS"), where + ": Kafka");
        if (service == Service.GATEWAY_MQTT) {
            Map<String, Object> gatewayId = maps(container, "env").stream().filter(e -> "TETHER_GATEWAY_ID".equals(e.get("name")))
                    .findFirst().orElseThrow(() -> new AssertionError(where + ": no TETHER_GATEWAY_ID"));
            assertEquals("metadata.name", path(gatewayId, "valueFrom", "fieldRef").get("fieldPath"), "one gateway id per pod");
        }
        if (code.byEnv("TETHER_API_BOOTSTRAP_KEY").isPresent()) {
            assertTrue(names.contains("TETHER_API_BOOTSTRAP_KEY"), where + ": a REST service without its API key");
        }
    }

    /** Every property of the mounted file is one the service reads. */
    private static void checkProperties(Service service, Map<String, Object> container, Properties config, String where) {
        ConfigModel code = model(service);
        assertTrue(!config.isEmpty(), where + ": empty configuration");
        for (String name : config.stringPropertyNames()) {
            if (name.startsWith("tether.")) {
                assertTrue(code.byName(name).isPresent(), where + ": sets " + name + ", which no @ConfigMapping of " + service.module + " reads");
            } else {
                String known = QUARKUS_PROPERTIES.keySet().stream().filter(name::startsWith).findFirst()
                        .orElseThrow(() -> new AssertionError(where + ": sets " + name + ", not a property the chart may set"));
                String extension = QUARKUS_PROPERTIES.get(known);
                assertTrue(extension.isEmpty() || service.dependsOn(ROOT, extension), where + ": " + name + " needs " + extension);
            }
        }
    }

    /** QUARKUS_CONFIG_LOCATIONS names the file the service's ConfigMap is mounted as. */
    private static void checkConfigMount(Service service, Map<String, Object> pod, Map<String, Object> container, String where) {
        String location = literalEnv(container).get("QUARKUS_CONFIG_LOCATIONS");
        Map<String, Object> mount = maps(container, "volumeMounts").stream().filter(m -> location.startsWith(m.get("mountPath") + "/"))
                .findFirst().orElseThrow(() -> new AssertionError(where + ": nothing mounted at " + location));
        Map<String, Object> volume = maps(pod, "volumes").stream().filter(v -> mount.get("name").equals(v.get("name"))).findFirst().orElseThrow();
        assertEquals(service.objectName(), map(volume, "configMap").get("name"), where);
        assertEquals("application.properties", location.substring(location.lastIndexOf('/') + 1), where);
    }

    /** The service's application.properties as its ConfigMap carries it. */
    static Properties properties(Rendering rendering, Service service) throws IOException {
        Map<String, Object> configMap = rendering.get("ConfigMap", service.objectName()).object();
        Properties properties = new Properties();
        properties.load(new StringReader(string(map(configMap, "data"), "application.properties")));
        return properties;
    }

    /** Environment variables with literal values. */
    static Map<String, String> literalEnv(Map<String, Object> container) {
        Map<String, String> out = new LinkedHashMap<>();
        maps(container, "env").stream().filter(e -> e.containsKey("value")).forEach(e -> out.put((String) e.get("name"), String.valueOf(e.get("value"))));
        return out;
    }

    private static String trimSlashes(String path) {
        return path.replaceAll("^/+|/+$", "");
    }

    @Test
    void aPropertyTheCodeDoesNotReadFailsTheCheck() {
        Rendering misspelt = Rendering.of(Rendering.DEFAULT, Map.of("fanoutService.fanout.inboxMaxMesages", 5));
        AssertionError error = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> deploymentsMatchWhatTheServicesListenOnAndRead(misspelt));
        assertTrue(error.getMessage().contains("tether.fanout.inbox-max-mesages"), error.getMessage());
        List<String> unknownEnv = new ArrayList<>();
        Rendering extraEnv = Rendering.of(Rendering.DEFAULT, Map.of("pushService.extraEnv[0].name", "TETHER_APNS_NO_SUCH", "pushService.extraEnv[0].value", "x"));
        try {
            deploymentsMatchWhatTheServicesListenOnAndRead(extraEnv);
        } catch (AssertionError e) {
            unknownEnv.add(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(1, unknownEnv.size(), "an unknown TETHER_ variable must fail");
        assertTrue(unknownEnv.get(0).contains("TETHER_APNS_NO_SUCH"), unknownEnv.get(0));
    }
}
