package io.tether.system;

import io.tether.contract.PushApp;
import io.tether.testkit.KafkaBroker;
import io.tether.testkit.LocalApns;
import io.tether.testkit.Meanwhile;
import io.tether.testkit.Ports;
import io.tether.testkit.Resp;
import io.tether.testkit.S3Server;
import io.tether.testkit.TestCertificates;
import io.tether.testkit.ServiceProcess;
import io.tether.testkit.TetherInfra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;

/**
 * The whole system as separate processes, from the packaged jars: Redis, a KRaft Kafka broker and the four
 * services on the message path, started once per test JVM (webhook-service when a test asks for it). Tests may start extra gateways and kill or restart any process.
 */
public final class TetherStack {
    public static final String API_KEY = "tk_system_test_" + Long.toHexString(System.nanoTime());
    private static TetherStack shared;

    static {
        // Awaitility waits one poll interval (100 ms) before its first check by default; the system tests' hundreds of
        // awaits check at once instead (their conditions and deadlines are unchanged).
        Awaitility.setDefaultPollDelay(java.time.Duration.ZERO);
    }

    private final TetherInfra infra;
    private final Path logs;
    private final ServiceProcess registry;
    private final ServiceProcess fanout;
    private final ServiceProcess push;
    private final Gateway gateway;
    private final LocalApns apns;
    private final OtlpReceiver traces;
    private final S3Server s3;
    private final TestCertificates.Issued deviceCertificate;
    private final Path signingKeys;
    private boolean deviceEndpointTaken;
    private Gateway second;
    private ServiceProcess webhooks;

    /** A running gateway-mqtt instance. */
    public record Gateway(String id, int mqttPort, ServiceProcess process) {
    }

    private TetherStack() {
        infra = TetherInfra.shared();
        traces = OtlpReceiver.start();
        logs = infra.dir().resolve("services");
        // The S3 server, the device endpoint's certificate and the APNs mock (a JVM and two keytool runs) need nothing of
        // one another: side by side. A failed start closes what the others gave: a later test class starts it all again.
        CompletableFuture<S3Server> s3Starting = Meanwhile.start("s3", () -> S3Server.start(infra.dir().resolve("s3")));
        CompletableFuture<LocalApns> apnsStarting = Meanwhile.start("apns",
                () -> LocalApns.start(infra.dir().resolve("apns"), Ports.free(), infra.dir().resolve("apns/received.jsonl")));
        try {
            try {
                java.nio.file.Files.createDirectories(infra.dir().resolve("tls"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            deviceCertificate = TestCertificates.server(infra.dir().resolve("tls"), DEVICE_HOST);
            signingKeys = infra.dir().resolve("signing");
            s3 = Meanwhile.awaited(s3Starting);
            apns = Meanwhile.awaited(apnsStarting);
            Map<String, String> pushConfig = traced(common());
            pushConfig.putAll(apns.pushServiceConfig(infra.dir().resolve("apns"), "example", "com.example.app"));
            // Tests that need apps of their own (quotas, app-scoped keys, broadcasts, webhooks: one app per test) register
            // devices the registry accepts only for apps push-service can reach: a catch-all app, as in the local run.
            pushConfig.putAll(apns.pushServiceConfig(infra.dir().resolve("apns"), "any", PushApp.ANY));
            int gatewayMqttPort = Ports.free();
            // startTogether stops what it started when one of them fails.
            List<ServiceProcess> started = ServiceProcess.startTogether(List.of(
                    new ServiceProcess.Launch("device-registry", Ports.free(), common(), logs.resolve("device-registry.log")),
                    new ServiceProcess.Launch("fanout-service", Ports.free(), fanoutConfig(), logs.resolve("fanout-service.log")),
                    new ServiceProcess.Launch("push-service", Ports.free(), pushConfig, logs.resolve("push-service.log")),
                    gatewayLaunch("gw-a", gatewayMqttPort, Map.of())));
            registry = started.get(0);
            fanout = started.get(1);
            push = started.get(2);
            gateway = new Gateway("gw-a", gatewayMqttPort, started.get(3));
        } catch (RuntimeException e) {
            Meanwhile.closeWhenDone(s3Starting);
            Meanwhile.closeWhenDone(apnsStarting);
            traces.close();
            throw e;
        }
    }

    public static synchronized TetherStack shared() {
        if (shared == null) {
            shared = new TetherStack();
        }
        return shared;
    }

    private Map<String, String> common() {
        Map<String, String> config = new HashMap<>();
        config.put("tether.redis.uri", infra.redis().uri());
        config.put("tether.kafka.bootstrap-servers", infra.kafka().bootstrapServers());
        config.put("tether.kafka.topics.partitions", Integer.toString(KafkaBroker.PARTITIONS));
        config.put("tether.api.bootstrap-key", API_KEY);
        // Attachments: one key ring (made by the first service, fanout), one bucket, the first gateway's device endpoint.
        config.putAll(s3.serviceConfig(BUCKET));
        config.put("tether.attachments.signing-keys-dir", signingKeys.toString());
        config.put("tether.attachments.generate-signing-key", "true");
        config.put("tether.attachments.public-url", "https://" + DEVICE_HOST + ":" + DEVICE_HTTPS_PORT);
        config.put("tether.attachments.deletion-grace", "1s");
        return config;
    }

    /** The services on a message's path export their spans to this JVM's OTLP receiver; batches leave every 200 ms. */
    private Map<String, String> traced(Map<String, String> config) {
        config.put("quarkus.otel.sdk.disabled", "false");
        config.put("quarkus.otel.exporter.otlp.traces.endpoint", traces.endpoint());
        config.put("quarkus.otel.bsp.schedule.delay", "200ms");
        return config;
    }

    private Map<String, String> fanoutConfig() {
        Map<String, String> config = traced(common());
        // Fanout takes a gateway for dead once its heartbeat has been missing for a heartbeat TTL.
        config.put("tether.fanout.gateway-grace", HEARTBEAT_TTL.toMillis() + "ms");
        // As the pod name in Kubernetes: a fanout restarted after a kill -9 gets its partitions back at once.
        config.put("tether.kafka.instance-id", "fanout-1");
        return config;
    }

    /** Gateways in tests notice a deaf socket after 2 s and a killed gateway within 3 s. */
    public static final java.time.Duration ACK_TIMEOUT = java.time.Duration.ofSeconds(2);
    public static final java.time.Duration HEARTBEAT_TTL = java.time.Duration.ofSeconds(3);

    /** Starts another gateway instance with its own MQTT port; {@code extra} overrides its config. */
    public Gateway startGateway(String id, Map<String, String> extra) {
        return startGateways(Map.of(id, extra)).get(id);
    }

    /**
     * Starts other gateway instances side by side (as pods start), each as {@link #startGateway} would: gateway id to
     * the config it overrides, and gateway id to the gateway started.
     */
    public Map<String, Gateway> startGateways(Map<String, Map<String, String>> extraById) {
        List<String> ids = List.copyOf(extraById.keySet());
        List<Integer> mqttPorts = new ArrayList<>();
        List<ServiceProcess.Launch> launches = new ArrayList<>();
        for (String id : ids) {
            int mqttPort = Ports.free();
            mqttPorts.add(mqttPort);
            launches.add(gatewayLaunch(id, mqttPort, extraById.get(id)));
        }
        List<ServiceProcess> started = ServiceProcess.startTogether(launches);
        Map<String, Gateway> gateways = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            gateways.put(ids.get(i), new Gateway(ids.get(i), mqttPorts.get(i), started.get(i)));
        }
        return Map.copyOf(gateways);
    }

    private ServiceProcess.Launch gatewayLaunch(String id, int mqttPort, Map<String, String> extra) {
        Map<String, String> config = traced(common());
        config.put("tether.gateway.id", id);
        config.put("tether.mqtt.host", "127.0.0.1");
        config.put("tether.mqtt.port", Integer.toString(mqttPort));
        config.put("tether.mqtt.websocket.port", Integer.toString(Ports.free()));
        config.put("tether.gateway.ack-timeout", ACK_TIMEOUT.toMillis() + "ms");
        config.put("tether.gateway.heartbeat-ttl", HEARTBEAT_TTL.toMillis() + "ms");
        config.put("tether.mqtt.tls.certificates[0].cert", deviceCertificate.certPem().toString());
        config.put("tether.mqtt.tls.certificates[0].key", deviceCertificate.keyPem().toString());
        // Only the first gateway serves the device HTTPS endpoint (the public URL names its port).
        config.put("tether.device-http.port", deviceEndpointTaken ? "0" : Integer.toString(DEVICE_HTTPS_PORT));
        deviceEndpointTaken = true;
        // Test gateways stop at once (a 20 s drain of whatever is still connected would only delay the JVM's exit);
        // GatewayDrainIT sets the window it tests.
        config.put("tether.gateway.drain-window", "0ms");
        config.putAll(extra);
        return new ServiceProcess.Launch("gateway-mqtt", Ports.free(), config, logs.resolve("gateway-mqtt-" + id + ".log"));
    }

    /** The host name of the device HTTPS endpoint, in its certificate and in download URLs. */
    public static final String DEVICE_HOST = "localhost";
    /** Port of the first gateway's device HTTPS endpoint. */
    public static final int DEVICE_HTTPS_PORT = Ports.free();
    /** Bucket of the attachment bodies in the stack's S3 server. */
    public static final String BUCKET = "tether-system-tests";

    /** Base URL of the device HTTPS endpoint. */
    public String deviceUrl() {
        return "https://" + DEVICE_HOST + ":" + DEVICE_HTTPS_PORT;
    }

    /** The certificate (PKCS#12 store, password {@link TestCertificates#PASSWORD}) a device must trust for the endpoint. */
    public TestCertificates.Issued deviceCertificate() {
        return deviceCertificate;
    }

    /** The S3 server that holds uploaded attachment bodies. */
    public S3Server s3() {
        return s3;
    }
    /**
     * webhook-service, started by the first test that needs it: failed deliveries are tried again after 200 ms
     * (doubling), and events become dead letters after {@link #WEBHOOK_GIVE_UP}.
     */
    public synchronized ServiceProcess webhooks() {
        if (webhooks == null) {
            Map<String, String> config = common();
            config.put("tether.webhooks.poll-interval", "50ms");
            config.put("tether.webhooks.retry.initial-backoff", "200ms");
            config.put("tether.webhooks.retry.max-backoff", "1s");
            config.put("tether.webhooks.retry.give-up-after", WEBHOOK_GIVE_UP.toMillis() + "ms");
            config.put("tether.webhooks.request-timeout", "2s");
            // The tests' receivers listen on 127.0.0.1, an address production refuses.
            config.put("tether.webhooks.allow-private-destinations", "true");
            webhooks = ServiceProcess.start("webhook-service", Ports.free(), config, logs.resolve("webhook-service.log"));
        }
        return webhooks;
    }

    /** How long webhook-service in tests keeps trying an event before it becomes a dead letter. */
    public static final java.time.Duration WEBHOOK_GIVE_UP = java.time.Duration.ofSeconds(3);

    /** What the services exported over OTLP. */
    public OtlpReceiver traces() {
        return traces;
    }

    public String registryUrl() {
        return registry.baseUrl();
    }

    public String fanoutUrl() {
        return fanout.baseUrl();
    }

    public ServiceProcess registry() {
        return registry;
    }

    public ServiceProcess push() {
        return push;
    }

    public ServiceProcess fanout() {
        return fanout;
    }

    public Gateway gateway() {
        return gateway;
    }

    /**
     * A second gateway with the default test config, "gw-b", started by the first test that needs one and then shared
     * (as the first one is): for tests of a device moving between gateways. Tests that stop, kill or configure a
     * gateway start their own.
     */
    public synchronized Gateway second() {
        if (second == null) {
            second = startGateway("gw-b", Map.of());
        }
        return second;
    }

    /** Freezes the Redis server (SIGSTOP): it keeps its connections and answers nothing until {@link #thawRedis()}. */
    public void freezeRedis() {
        infra.redis().freeze();
    }

    public void thawRedis() {
        infra.redis().thaw();
    }

    /** Restarts the Redis server (SIGTERM, then start on the same port and data directory). */
    public void restartRedis() {
        infra.redis().restart();
    }

    /** What the local APNs accepted so far: one JSON object per notification (token, topic, pushType, priority, payload, ...). */
    public List<Map<String, Object>> apnsReceived() {
        try {
            if (!java.nio.file.Files.exists(apns.recordFile())) {
                return List.of();
            }
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            List<Map<String, Object>> out = new java.util.ArrayList<>();
            for (String line : java.nio.file.Files.readAllLines(apns.recordFile())) {
                if (!line.isBlank()) {
                    out.add(json.readValue(line, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String kafkaBootstrap() {
        return infra.kafka().bootstrapServers();
    }

    /** A consumer of tether.upstream from its beginning, in a group of its own: what a backend reads. */
    public org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> upstreamConsumer() {
        Map<String, Object> props = new HashMap<>();
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap());
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + java.util.UUID.randomUUID());
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
                new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        consumer.subscribe(List.of(io.tether.contract.Topics.UPSTREAM));
        return consumer;
    }

    /** One Redis command against the stack's Redis. */
    public Object redis(String... command) {
        try {
            return Resp.call(infra.redis().port(), command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The presence hash of a device as a field → value map. */
    @SuppressWarnings("unchecked")
    public Map<String, String> presence(String deviceId) {
        List<Object> flat = (List<Object>) redis("HGETALL", "tether:{d:" + deviceId + "}:presence");
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return out;
    }
}
