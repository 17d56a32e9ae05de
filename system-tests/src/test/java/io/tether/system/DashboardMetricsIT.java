package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import io.tether.testkit.ServiceProcess;
import io.tether.testkit.TetherRoot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard shipped in deploy/ queries only metrics the services really expose: all services run as
 * processes, a little traffic (a live delivery, an upstream publish, a push fallback, a refused CONNECT) makes the
 * lazily registered meters exist, and every metric name in every PromQL expression of the dashboard must then be
 * a series of some service's {@code /q/metrics}. A histogram's {@code _bucket} series must be there as such
 * (percentile histograms enabled), not merely its {@code _count}.
 */
class DashboardMetricsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Kafka's per-partition metrics are picked up on the binder's next refresh (KafkaClientMeters.REFRESH, 10 s). */
    private static final Duration METRICS_DEADLINE = Duration.ofSeconds(60);
    private static final Path DASHBOARD = TetherRoot.path().resolve("deploy/grafana/dashboards/tether.json");
    private static final Path DATASOURCES = TetherRoot.path().resolve("deploy/grafana/provisioning/datasources/tether.yaml");
    private static final Map<String, Object> ALERT = Map.of("alert", Map.of("title", "New message", "body", "Open the app"));

    private static TetherStack stack;
    private static Api api;
    /**
     * HTTP/1.1 as Prometheus scrapes. The JDK client's default asks to upgrade to h2c, and Vert.x then answered a large
     * metrics page in HTTP/1.1 framing on the upgraded connection (ProtocolException) once the pages grew.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        stack = TetherStack.shared();
        api = new Api(stack);
    }

    @Test
    void everyMetricTheDashboardQueriesIsExposedByARunningService() throws Exception {
        driveTraffic();
        Set<String> queried = queriedMetrics(dashboard());
        assertTrue(queried.size() >= 20, "the dashboard queries the metrics of issue 6, found only " + queried);

        Map<String, Scrape> scrapes = new TreeMap<>();
        await().atMost(METRICS_DEADLINE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            scrapes.clear();
            for (ServiceProcess service : List.of(stack.registry(), stack.fanout(), stack.push(), stack.gateway().process())) {
                scrapes.put(service.module(), scrape(service));
            }
            writeScraped(scrapes);
            List<String> missing = new ArrayList<>();
            for (String metric : queried) {
                if (scrapes.values().stream().noneMatch(s -> s.samples.contains(metric))) {
                    missing.add(metric);
                }
            }
            assertEquals(List.of(), missing, "queried by deploy/grafana/dashboards/tether.json but exposed by no service");
        });

        for (String metric : queried) {
            if (metric.endsWith("_bucket")) {
                String base = metric.substring(0, metric.length() - "_bucket".length());
                assertTrue(scrapes.values().stream().anyMatch(s -> "histogram".equals(s.types.get(base))),
                        base + " is used with histogram_quantile, so it must be a histogram");
            }
        }
        Scrape gateway = scrapes.get("gateway-mqtt");
        assertTrue(gateway.samples.contains("tether_gateway_connections"), "the HPA's metric (deploy/helm) is exposed by the gateway");
        assertEquals("gauge", gateway.types.get("tether_gateway_connections"));
    }

    /**
     * The JDK client's default asks to upgrade to h2c; every service answers in HTTP/1.1 (runtime's NoCleartextUpgrade)
     * and the page arrives. Before, a large page came back as an HTTP/2 framing error.
     */
    @Test
    void aClientAskingToUpgradeToH2cGetsEachServicesWholeMetricsPageInHttp11() throws Exception {
        HttpClient asksForH2c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertEquals(HttpClient.Version.HTTP_2, asksForH2c.version());
        for (ServiceProcess service : List.of(stack.registry(), stack.fanout(), stack.push(), stack.gateway().process())) {
            HttpResponse<String> response = asksForH2c.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/metrics"))
                    .timeout(Duration.ofSeconds(10)).header("Accept", "text/plain").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), service.module() + " /q/metrics");
            assertEquals(HttpClient.Version.HTTP_1_1, response.version(), service.module() + " answered the upgrade in HTTP/1.1");
            assertTrue(response.body().contains("# TYPE jvm_memory_used_bytes gauge"), service.module() + ": a metrics page");
        }
    }

    @Test
    void dashboardUsesTheProvisionedDataSourcesAndLinksToTraces() throws IOException {
        JsonNode dashboard = dashboard();
        String datasources = Files.readString(DATASOURCES);
        Set<String> uids = new TreeSet<>();
        dashboard.findValues("datasource").forEach(ds -> {
            if (ds.has("uid")) {
                uids.add(ds.get("uid").asText());
            }
        });
        assertEquals(Set.of("prometheus", "tempo"), uids);
        for (String uid : uids) {
            assertTrue(datasources.contains("uid: " + uid), "data source " + uid + " is provisioned");
        }
        assertTrue(datasources.contains("exemplarTraceIdDestinations"), "exemplars link to Tempo");
        boolean traceLinks = dashboard.findValues("links").stream()
                .anyMatch(links -> links.toString().contains("tempo"));
        assertTrue(traceLinks, "the dashboard links to traces in Tempo");
    }

    /**
     * Grafana's link from a span to its service's metrics maps the span's {@code service.name} (Quarkus: the
     * application name, {@code tether-<module>}) to a label; every sample of every service must carry that label with
     * that value, or the link finds nothing.
     */
    @Test
    void everySampleCarriesTheLabelSpansAreLinkedToMetricsBy() throws Exception {
        Matcher mapping = Pattern.compile("- key: service\\.name\\s+value: (\\w+)").matcher(Files.readString(DATASOURCES));
        assertTrue(mapping.find(), "the Tempo data source maps service.name to a metrics label");
        for (ServiceProcess service : List.of(stack.registry(), stack.fanout(), stack.push(), stack.gateway().process())) {
            String label = mapping.group(1) + "=\"tether-" + service.module() + "\"";
            List<String> without = page(service).lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .filter(line -> !line.contains(label)).limit(5).toList();
            assertEquals(List.of(), without, service.module() + ": samples without " + label);
        }
    }

    @Test
    void promqlMetricNamesAreExtractedWithoutFunctionsLabelsOrKeywords() {
        assertEquals(Set.of("tether_gateway_ack_latency_seconds_bucket"), metricNames(
                "histogram_quantile(0.95, sum by (le) (rate(tether_gateway_ack_latency_seconds_bucket{outcome=\"accepted\"}[$__rate_interval])))"));
        assertEquals(Set.of("a_total", "b"), metricNames("sum without (pod) (a_total) / on (x) group_left b offset 5m > bool 2"));
        assertEquals(Set.of("kafka_consumer_fetch_manager_records_lag"),
                metricNames("sum by (client_id, topic) (kafka_consumer_fetch_manager_records_lag)"));
    }

    // ---- traffic --------------------------------------------------------------------------------------------

    /** What makes the lazily registered meters exist: a live delivery, an upstream publish, a push fallback, a bad CONNECT. */
    private static void driveTraffic() throws Exception {
        Api.Device device = api.registerWithPushToken("ios");
        try (TestDevice phone = TestDevice.connect(device, stack.gateway().mqttPort())) {
            await().atMost(DEADLINE).until(() -> "1".equals(stack.presence(device.id()).get("receiving")));
            String live = api.sendToDevice(device.id(), "live");
            assertTrue(phone.next(DEADLINE).isPresent(), "delivered live");
            await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(live, device.id())));

            phone.publish("devices/" + device.id() + "/telemetry", "{\"battery\":87}".getBytes(StandardCharsets.UTF_8));

            phone.lifecycle("background");
            await().atMost(DEADLINE).until(() -> "BACKGROUND".equals(stack.presence(device.id()).get("state")));
            String pushed = api.send(Map.of("to", Map.of("device", device.id()), "payload", "to push", "push", ALERT));
            await().atMost(DEADLINE).until(() -> "pushed".equals(api.status(pushed, device.id())));
        }
        var wrong = MqttClient.builder().useMqttVersion5().identifier(device.id())
                .serverHost("127.0.0.1").serverPort(stack.gateway().mqttPort()).buildBlocking();
        assertThrows(Mqtt5ConnAckException.class, () -> wrong.connectWith()
                .simpleAuth().username(device.id()).password("wrong".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send());
    }

    // ---- the dashboard --------------------------------------------------------------------------------------

    private static JsonNode dashboard() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertFalse(dashboard.path("panels").isEmpty(), "the dashboard has panels");
        return dashboard;
    }

    /** Metric names of every PromQL expression of the dashboard's Prometheus targets (nested rows included). */
    private static Set<String> queriedMetrics(JsonNode dashboard) {
        Set<String> names = new TreeSet<>();
        for (JsonNode targets : dashboard.findValues("targets")) {
            for (JsonNode target : targets) {
                boolean prometheus = "prometheus".equals(target.path("datasource").path("type").asText("prometheus"));
                if (prometheus && target.hasNonNull("expr")) {
                    names.addAll(metricNames(target.get("expr").asText()));
                }
            }
        }
        return names;
    }

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "and", "or", "unless", "offset", "inf", "nan");

    /** The metric names one PromQL expression selects: not its functions, aggregations, label names or keywords. */
    static Set<String> metricNames(String expr) {
        String rest = STRING.matcher(expr).replaceAll(" ");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGE.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        rest = rest.replaceAll("\\b\\d+[smhdwy]\\b", " "); // offset durations
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            String word = m.group(1);
            if (m.group(2) == null && !KEYWORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    /** For a failing run: what each service exposed, in target/scraped-metrics.txt. */
    private static void writeScraped(Map<String, Scrape> scrapes) throws IOException {
        StringBuilder out = new StringBuilder();
        scrapes.forEach((service, scrape) -> scrape.samples.forEach(name -> out.append(service).append(' ').append(name).append('\n')));
        Files.writeString(Path.of("target", "scraped-metrics.txt"), out);
    }

    // ---- scraping -------------------------------------------------------------------------------------------

    /** The sample names of a Prometheus text exposition, and the declared type of each metric family. */
    record Scrape(Set<String> samples, Map<String, String> types) {
    }

    private static Scrape scrape(ServiceProcess service) throws IOException, InterruptedException {
        Set<String> samples = new TreeSet<>();
        Map<String, String> types = new HashMap<>();
        for (String line : page(service).split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int end = 0;
                while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                    end++;
                }
                samples.add(line.substring(0, end));
            }
        }
        return new Scrape(samples, types);
    }

    private static String page(ServiceProcess service) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).header("Accept", "text/plain").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), service.module() + " /q/metrics");
        return response.body();
    }
}
