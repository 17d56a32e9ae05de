package io.tether.deploy;

import static io.tether.deploy.Objects.list;
import static io.tether.deploy.Objects.map;
import static io.tether.deploy.Objects.maps;
import static io.tether.deploy.Objects.path;
import static io.tether.deploy.Objects.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.util.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The chart lints, renders for its defaults and a production-like setup, and what it renders is valid and safe. */
class ChartTest {
    private static final Pattern TEMPLATE_NAME = Pattern.compile("(\\d{3})-([A-Za-z]+)-([a-z0-9-]+)\\.yaml");
    /** Room for what the gateway does after its Kafka producers closed (Redis connections, meters) and the JVM's exit. */
    private static final long JVM_EXIT_SECONDS = 5;
    private static final Set<String> CORE_GROUPS = Set.of("v1", "apps/v1", "policy/v1", "autoscaling/v2", "networking.k8s.io/v1");

    static Stream<Rendering> renderings() {
        return Stream.of(Rendering.of(Rendering.DEFAULT), Rendering.of(Rendering.PRODUCTION), Rendering.of(Rendering.K8S));
    }

    @Test
    void chartLintsCleanWithStrictChecks() {
        LintResult lint = Rendering.chart().lint();
        assertFalse(lint.isFailed(), "helm lint --strict: " + lint.getMessages());
        assertTrue(lint.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")), lint.getMessages().toString());
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void rendersEveryPartOfEveryService(Rendering rendering) {
        for (Service service : Service.values()) {
            for (String kind : List.of("ConfigMap", "Deployment", "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy")) {
                rendering.get(kind, service.objectName());
            }
            if (service != Service.GATEWAY_MQTT) {
                rendering.get("Service", service.objectName());
            }
        }
        rendering.get("Service", "tether-gateway-mqtt-http");
        rendering.get("ServiceAccount", "tether");
        // Devices: over TLS through the load balancer in production; without TLS only inside the cluster.
        if (rendering == Rendering.of(Rendering.PRODUCTION)) {
            assertEquals("LoadBalancer", path(rendering.get("Service", "tether-gateway-mqtt").object(), "spec").get("type"));
        } else {
            assertTrue(rendering.find("Service", "tether-gateway-mqtt").isEmpty(), rendering + ": a device Service without TLS");
            assertEquals("ClusterIP", path(rendering.get("Service", "tether-gateway-mqtt-internal").object(), "spec").get("type"));
        }
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void everyObjectParsesStrictlyAgainstTheKubernetesApiModel(Rendering rendering) throws IOException {
        for (Rendering.Manifest manifest : rendering.manifests) {
            String apiVersion = string(manifest.object(), "apiVersion");
            if (CORE_GROUPS.contains(apiVersion)) {
                List<Object> objects = Yaml.loadAll(manifest.yaml());
                assertEquals(1, objects.size(), manifest.toString());
                assertTrue(objects.get(0).getClass().getSimpleName().endsWith(manifest.kind()), manifest + " parsed as " + objects.get(0).getClass());
            } else {
                assertEquals("monitoring.coreos.com/v1", apiVersion, manifest + ": an API group the tests cannot check");
                checkServiceMonitor(manifest);
            }
        }
    }

    @Test
    void strictParsingRejectsUnknownFieldsAndWrongTypes() {
        String valid = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  selector:\n    matchLabels: {a: b}\n"
                + "  template:\n    metadata:\n      labels: {a: b}\n    spec:\n      containers:\n        - name: c\n          image: i\n";
        assertTrue(assertDoesNotThrowLoad(valid) instanceof V1Deployment);
        assertThrows(RuntimeException.class, () -> Yaml.loadAll(valid.replace("          image: i\n", "          image: i\n          imagePullPolicyy: Always\n")));
        assertThrows(RuntimeException.class, () -> Yaml.loadAll(valid.replace("    matchLabels: {a: b}\n", "    matchLabels: [a]\n")));
    }

    private static Object assertDoesNotThrowLoad(String yaml) {
        try {
            return Yaml.loadAll(yaml).get(0);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The ServiceMonitor CRD is not in the Kubernetes client's model: check the fields Tether sets by hand. */
    private static void checkServiceMonitor(Rendering.Manifest manifest) {
        assertEquals("ServiceMonitor", manifest.kind());
        assertEquals(Set.of("apiVersion", "kind", "metadata", "spec"), manifest.object().keySet());
        Map<String, Object> spec = map(manifest.object(), "spec");
        assertEquals(Set.of("selector", "endpoints"), spec.keySet());
        assertEquals("true", string(path(spec, "selector", "matchLabels"), "tether.io/metrics"));
        for (Map<String, Object> endpoint : maps(spec, "endpoints")) {
            assertEquals(Set.of("port", "path", "interval"), endpoint.keySet(), manifest.toString());
            assertEquals("http", endpoint.get("port"));
            assertEquals("/q/metrics", endpoint.get("path"));
        }
    }

    @Test
    void templatesAreNamedAfterTheKindAndNameTheyRender() throws IOException {
        Path templates = Rendering.chart().chartDir().resolve("templates");
        try (Stream<Path> list = Files.list(templates)) {
            for (Path file : list.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("_") || name.equals("NOTES.txt")) {
                    continue;
                }
                assertTrue(TEMPLATE_NAME.matcher(name).matches(), name + " is not named NNN-Kind-name.yaml");
            }
        }
        List<Rendering> all = new ArrayList<>(renderings().toList());
        all.add(Rendering.of(Rendering.DEFAULT, Map.of("api.bootstrapKey", "tk_x", "serviceMonitor.enabled", true)));
        for (Rendering rendering : all) {
            for (Rendering.Manifest manifest : rendering.manifests) {
                Matcher name = TEMPLATE_NAME.matcher(manifest.template());
                assertTrue(name.matches(), manifest.toString());
                assertEquals(name.group(2), manifest.kind(), manifest.toString());
                String expected = name.group(3).equals("tether") ? "tether" : "tether-" + name.group(3);
                assertEquals(expected, manifest.name(), manifest + ": file and object names differ");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void podsRunAsNonRootWithReadOnlyRootAndAWritableTmp(Rendering rendering) {
        for (Rendering.Manifest deployment : rendering.ofKind("Deployment")) {
            Map<String, Object> pod = path(deployment.object(), "spec", "template", "spec");
            assertEquals(Boolean.TRUE, map(pod, "securityContext").get("runAsNonRoot"), deployment.toString());
            assertEquals(Boolean.FALSE, pod.get("automountServiceAccountToken"), deployment.toString());
            Map<String, Object> tmp = maps(pod, "volumes").stream().filter(v -> "tmp".equals(v.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError(deployment + ": no tmp volume"));
            assertNotNull(tmp.get("emptyDir"), deployment + ": /tmp must be an emptyDir");
            for (Map<String, Object> container : maps(pod, "containers")) {
                Map<String, Object> security = map(container, "securityContext");
                assertEquals(Boolean.TRUE, security.get("readOnlyRootFilesystem"), deployment.toString());
                assertEquals(Boolean.FALSE, security.get("allowPrivilegeEscalation"), deployment.toString());
                assertEquals(Boolean.TRUE, security.get("runAsNonRoot"), deployment.toString());
                assertEquals(List.of("ALL"), list(map(security, "capabilities"), "drop"), deployment.toString());
                assertTrue(maps(container, "volumeMounts").stream().anyMatch(m -> "tmp".equals(m.get("name")) && "/tmp".equals(m.get("mountPath"))),
                        deployment + ": /tmp not mounted");
                assertNotNull(path(container, "resources", "limits").get("memory"), deployment + ": no memory limit");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void gatewayGetsTimeToDrainBeforeItIsKilled(Rendering rendering) throws IOException {
        Map<String, Object> deployment = rendering.get("Deployment", "tether-gateway-mqtt").object();
        Map<String, Object> pod = path(deployment, "spec", "template", "spec");
        Properties config = ManifestsMatchCodeTest.properties(rendering, Service.GATEWAY_MQTT);
        Duration window = Duration.ofSeconds(Long.parseLong(config.getProperty("tether.gateway.drain-window").replace("s", "")));
        Map<String, Object> container = maps(pod, "containers").get(0);
        int preStop = ((Number) path(container, "lifecycle", "preStop", "sleep").get("seconds")).intValue();
        int grace = ((Number) pod.get("terminationGracePeriodSeconds")).intValue();
        assertTrue(preStop > 0, "a preStop sleep lets the pod leave the load balancer before SIGTERM");
        // GatewayApp's own bound after the window: the drain's grace, the listeners' undeploy, two producer closes.
        Map<String, Long> app = gatewayShutdownConstants();
        long afterWindow = app.get("DRAIN_GRACE") + app.get("UNDEPLOY") + 2 * app.get("PRODUCER_CLOSE");
        assertTrue(grace >= preStop + window.toSeconds() + afterWindow + JVM_EXIT_SECONDS,
                "terminationGracePeriodSeconds " + grace + " is shorter than preStop " + preStop + " s + drain window " + window
                        + " + the gateway's " + afterWindow + " s after it " + app + " + " + JVM_EXIT_SECONDS + " s for the JVM's exit");
        Map<String, Object> rolling = path(deployment, "spec", "strategy", "rollingUpdate");
        assertEquals(0, ((Number) rolling.get("maxUnavailable")).intValue(), "a new gateway pod must be up before an old one drains");
        for (Service service : Service.values()) {
            Map<String, Object> spec = path(rendering.get("Deployment", service.objectName()).object(), "spec", "template", "spec");
            assertTrue(((Number) spec.get("terminationGracePeriodSeconds")).intValue() > 10, service + ": room to finish in-flight work");
        }
    }

    /** The shutdown bounds GatewayApp declares, in seconds, read from its source. */
    private static Map<String, Long> gatewayShutdownConstants() throws IOException {
        String source = Files.readString(Rendering.chart().root().resolve("gateway-mqtt/src/main/java/io/tether/gateway/app/GatewayApp.java"));
        Map<String, Long> constants = new java.util.TreeMap<>();
        Matcher constant = Pattern.compile("static final Duration (DRAIN_GRACE|UNDEPLOY|PRODUCER_CLOSE) = Duration\\.ofSeconds\\((\\d+)\\);").matcher(source);
        while (constant.find()) {
            constants.put(constant.group(1), Long.parseLong(constant.group(2)));
        }
        assertEquals(Set.of("DRAIN_GRACE", "UNDEPLOY", "PRODUCER_CLOSE"), constants.keySet(), "GatewayApp's shutdown constants moved");
        assertEquals(2, source.split("\\.close\\(PRODUCER_CLOSE\\)", -1).length - 1, "GatewayApp closes two producers within PRODUCER_CLOSE");
        return constants;
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void servicesPdbsAndHpasPointAtTheirDeployments(Rendering rendering) {
        for (Rendering.Manifest deployment : rendering.ofKind("Deployment")) {
            Map<String, Object> podLabels = path(deployment.object(), "spec", "template", "metadata", "labels");
            Map<String, Object> selector = path(deployment.object(), "spec", "selector", "matchLabels");
            assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), deployment + ": selector does not match its pods");
        }
        for (Rendering.Manifest service : rendering.ofKind("Service")) {
            Map<String, Object> selector = path(service.object(), "spec", "selector");
            Rendering.Manifest deployment = rendering.ofKind("Deployment").stream()
                    .filter(d -> path(d.object(), "spec", "template", "metadata", "labels").entrySet().containsAll(selector.entrySet()))
                    .findFirst().orElseThrow(() -> new AssertionError(service + " selects no pods"));
            Set<String> portNames = new HashSet<>();
            for (Map<String, Object> container : maps(path(deployment.object(), "spec", "template", "spec"), "containers")) {
                maps(container, "ports").forEach(p -> portNames.add((String) p.get("name")));
            }
            for (Map<String, Object> port : maps(service.object().get("spec"), "ports")) {
                assertTrue(portNames.contains(String.valueOf(port.get("targetPort"))), service + ": no container port " + port.get("targetPort"));
            }
        }
        for (Rendering.Manifest hpa : rendering.ofKind("HorizontalPodAutoscaler")) {
            String target = string(path(hpa.object(), "spec", "scaleTargetRef"), "name");
            assertTrue(rendering.find("Deployment", target).isPresent(), hpa + " scales a missing Deployment");
            assertFalse(path(rendering.get("Deployment", target).object(), "spec").containsKey("replicas"),
                    target + ": replicas must be left to the HPA");
        }
        for (Rendering.Manifest pdb : rendering.ofKind("PodDisruptionBudget")) {
            assertEquals(path(rendering.get("Deployment", pdb.name()).object(), "spec", "selector", "matchLabels"),
                    path(pdb.object(), "spec", "selector", "matchLabels"), pdb.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void networkPoliciesLetThroughWhatMustTalk(Rendering rendering) throws IOException {
        for (Service service : Service.values()) {
            Map<String, Object> policy = path(rendering.get("NetworkPolicy", service.objectName()).object(), "spec");
            assertEquals(List.of("Ingress", "Egress"), list(policy, "policyTypes"));
            Set<String> egressPorts = new HashSet<>();
            for (Map<String, Object> rule : maps(policy, "egress")) {
                maps(rule, "ports").forEach(p -> egressPorts.add(String.valueOf(p.get("port"))));
            }
            Map<String, Object> container = maps(path(rendering.get("Deployment", service.objectName()).object(), "spec", "template", "spec"),
                    "containers").get(0);
            Map<String, String> env = ManifestsMatchCodeTest.literalEnv(container);
            for (String server : env.getOrDefault("TETHER_KAFKA_BOOTSTRAP_SERVERS", "").split(",")) {
                if (server.isEmpty()) {
                    assertTrue(service == Service.DEVICE_REGISTRY, service + " without Kafka");
                    assertTrue(!egressPorts.contains("9092"), "device-registry does not talk to Kafka");
                    continue;
                }
                String port = server.substring(server.lastIndexOf(':') + 1);
                assertTrue(egressPorts.contains(port), rendering + ": " + service + " may not reach Kafka on " + port);
            }
            if (env.containsKey("TETHER_REDIS_URI")) {
                Matcher redisPort = Pattern.compile(":(\\d+)(/|$)").matcher(env.get("TETHER_REDIS_URI"));
                assertTrue(redisPort.find() && egressPorts.contains(redisPort.group(1)), rendering + ": " + service + " may not reach Redis");
            }
            assertTrue(egressPorts.contains("53"), service + ": no DNS");
            Set<String> ingressPorts = new HashSet<>();
            for (Map<String, Object> rule : maps(policy, "ingress")) {
                maps(rule, "ports").forEach(p -> ingressPorts.add(String.valueOf(p.get("port"))));
            }
            for (Map<String, Object> port : maps(container, "ports")) {
                assertTrue(ingressPorts.contains(port.get("name")), rendering + ": " + service + " port " + port.get("name") + " unreachable");
            }
            if (service == Service.PUSH_SERVICE) {
                assertTrue(egressPorts.contains("443"), rendering + ": push-service may not reach APNs");
            }
            boolean s3 = ManifestsMatchCodeTest.properties(rendering, service).getProperty("tether.attachments.s3.bucket") != null;
            assertEquals(s3 || service == Service.PUSH_SERVICE || service == Service.WEBHOOK_SERVICE, egressPorts.contains("443"),
                    rendering + ": " + service + ": 443 is for APNs (push-service), the webhook receivers (webhook-service) and "
                    + "the S3 store (services that use it) only");
        }
    }

    @Test
    void tracingHookPointsEveryServiceAtTheCollectorAndLetsItThrough() throws IOException {
        Rendering tracing = Rendering.of(Rendering.DEFAULT, Map.of("tracing.enabled", true, "tracing.endpoint", "http://collector.obs:4317"));
        for (Service service : Service.values()) {
            Properties config = ManifestsMatchCodeTest.properties(tracing, service);
            assertEquals("false", config.getProperty("quarkus.otel.sdk.disabled"), service.module + ": the services ship with the SDK off");
            assertEquals("http://collector.obs:4317", config.getProperty("quarkus.otel.exporter.otlp.traces.endpoint"), service.module);
            assertEquals("grpc", config.getProperty("quarkus.otel.exporter.otlp.traces.protocol"), service.module);
            assertEquals("parentbased_traceidratio", config.getProperty("quarkus.otel.traces.sampler"));
            Map<String, Object> policy = path(tracing.get("NetworkPolicy", service.objectName()).object(), "spec");
            assertTrue(maps(policy, "egress").stream().flatMap(r -> maps(r, "ports").stream()).anyMatch(p -> "4317".equals(String.valueOf(p.get("port")))),
                    service + ": no egress to the collector");
        }
        Properties untraced = ManifestsMatchCodeTest.properties(Rendering.of(Rendering.DEFAULT), Service.FANOUT_SERVICE);
        assertTrue(untraced.stringPropertyNames().stream().noneMatch(k -> k.startsWith("quarkus.otel")), "tracing is off by default");
    }

    @Test
    void everyKafkaServiceGetsTheSameTopicLayoutAndProductionKeepsThreeReplicasTwoInSync() throws IOException {
        for (List<String> values : List.of(Rendering.DEFAULT, Rendering.PRODUCTION)) {
            Rendering rendering = Rendering.of(values);
            Set<String> layouts = new java.util.HashSet<>();
            for (Service service : List.of(Service.GATEWAY_MQTT, Service.FANOUT_SERVICE, Service.PUSH_SERVICE)) {
                Properties config = ManifestsMatchCodeTest.properties(rendering, service);
                layouts.add(config.getProperty("tether.kafka.topics.partitions") + "/" + config.getProperty("tether.kafka.topics.replication-factor")
                        + "/" + config.getProperty("tether.kafka.topics.min-insync-replicas"));
            }
            assertEquals(1, layouts.size(), values + ": one topic layout for every service, got " + layouts);
        }
        Properties production = ManifestsMatchCodeTest.properties(Rendering.of(Rendering.PRODUCTION), Service.FANOUT_SERVICE);
        assertEquals("3", production.getProperty("tether.kafka.topics.replication-factor"));
        assertEquals("2", production.getProperty("tether.kafka.topics.min-insync-replicas"));
        for (Service service : List.of(Service.GATEWAY_MQTT, Service.FANOUT_SERVICE)) {
            assertEquals("32", ManifestsMatchCodeTest.properties(Rendering.of(Rendering.DEFAULT), service).getProperty("tether.inbox.window"),
                    service + ": the gateway and fanout run the same inbox scripts with the same window");
        }
    }

    @Test
    void gatewayCanScaleOnConnectionsAndScalesDownOnePodAtATime() {
        Rendering rendering = Rendering.of(Rendering.DEFAULT, Map.of("gatewayMqtt.hpa.connections.enabled", true));
        Map<String, Object> spec = path(rendering.get("HorizontalPodAutoscaler", "tether-gateway-mqtt").object(), "spec");
        Map<String, Object> metric = maps(spec, "metrics").stream().filter(m -> "Pods".equals(m.get("type"))).findFirst()
                .orElseThrow(() -> new AssertionError("no Pods metric"));
        Map<String, Object> pods = map(metric, "pods");
        assertEquals("tether_gateway_connections", path(pods, "metric").get("name"));
        assertEquals("20000", path(pods, "target").get("averageValue"));
        Map<String, Object> policy = maps(path(spec, "behavior", "scaleDown"), "policies").get(0);
        assertEquals(1, ((Number) policy.get("value")).intValue());
    }

    @Test
    void credentialsAndApnsKeysBecomeSecretsMountedWhereTheServicesLook() throws IOException {
        Rendering rendering = Rendering.of(Rendering.DEFAULT, Map.of(
                "api.bootstrapKey", "tk_given",
                "pushService.apns.apps.chat.bundleId", "com.example.chat",
                "pushService.apns.apps.chat.teamId", "ABCDE12345",
                "pushService.apns.apps.chat.keyId", "KEY1234567",
                "pushService.apns.apps.chat.signingKey", "-----BEGIN PRIVATE KEY-----\nMIG\n-----END PRIVATE KEY-----\n",
                "pushService.apns.apps.old-app.bundleId", "com.example.old",
                "pushService.apns.apps.old-app.certificate", "MIIK",
                "pushService.apns.apps.old-app.certificatePassword", "secret"));
        Map<String, Object> credentials = rendering.get("Secret", "tether-credentials").object();
        assertEquals("tk_given", new String(java.util.Base64.getDecoder().decode(string(map(credentials, "data"), "api-bootstrap-key"))));
        Map<String, Object> apns = map(rendering.get("Secret", "tether-apns").object(), "data");
        assertEquals(Set.of("chat.p8", "old-app.p12", "old-app.password"), apns.keySet());
        Properties push = ManifestsMatchCodeTest.properties(rendering, Service.PUSH_SERVICE);
        assertEquals("/etc/tether/apns/chat.p8", push.getProperty("tether.apns.apps.chat.signing-key"));
        assertEquals("/etc/tether/apns/old-app.p12", push.getProperty("tether.apns.apps.old-app.certificate"));
        assertEquals("${APNS_OLD_APP_CERTIFICATE_PASSWORD:}", push.getProperty("tether.apns.apps.old-app.certificate-password"));
        Map<String, Object> pod = path(rendering.get("Deployment", "tether-push-service").object(), "spec", "template", "spec");
        assertTrue(maps(pod, "volumes").stream().anyMatch(v -> v.containsKey("secret") && "tether-apns".equals(map(v, "secret").get("secretName"))));
        assertTrue(maps(maps(pod, "containers").get(0), "volumeMounts").stream().anyMatch(m -> "/etc/tether/apns".equals(m.get("mountPath"))));
        // And the whole rendering is checked against the code like the others.
        new ManifestsMatchCodeTest().deploymentsMatchWhatTheServicesListenOnAndRead(rendering);
    }

    @Test
    void chartVersionAndImagesMatchTheBuild() throws IOException {
        Path root = Rendering.chart().root();
        String pom = Files.readString(root.resolve("pom.xml"));
        Matcher version = Pattern.compile("<artifactId>tether-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(version.find());
        String chart = Files.readString(Rendering.chart().chartDir().resolve("Chart.yaml"));
        assertTrue(chart.contains("appVersion: \"" + version.group(1) + "\""), "Chart.yaml appVersion must be the Maven version " + version.group(1));
        for (Service service : Service.values()) {
            Properties app = service.applicationProperties(root);
            String image = string(maps(path(Rendering.of(Rendering.DEFAULT).get("Deployment", service.objectName()).object(),
                    "spec", "template", "spec"), "containers").get(0), "image");
            String built = app.getProperty("quarkus.container-image.group") + "/" + app.getProperty("quarkus.container-image.name") + ":" + version.group(1);
            assertEquals(built, image, service + ": the chart's image is not the one the Jib build makes");
            assertTrue(service.dependsOn(root, "quarkus-container-image-jib"), service + ": no Jib extension");
            assertTrue(Files.isRegularFile(root.resolve(service.module).resolve("src/main/docker/Dockerfile.jvm")), service + ": no Dockerfile");
        }
    }
}
