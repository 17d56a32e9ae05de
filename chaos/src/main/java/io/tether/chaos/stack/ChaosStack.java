package io.tether.chaos.stack;

import io.tether.contract.Topics;
import io.tether.testkit.Faultable;
import io.tether.testkit.KafkaBroker;
import io.tether.testkit.LocalApns;
import io.tether.testkit.Meanwhile;
import io.tether.testkit.Ports;
import io.tether.testkit.RedisServer;
import io.tether.testkit.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Tether as separate processes, through the testkit's launchers: Redis with its append-only file, a KRaft Kafka,
 * device-registry, fanout-service, push-service (talking to the local APNs mock, which records what it accepted)
 * and one or more gateway-mqtt instances. Each can be killed, frozen and restarted with its own command line,
 * ports and data directory.
 */
public final class ChaosStack implements AutoCloseable {
    public static final String BUNDLE_ID = "com.example.app";
    /** Deaf sockets are noticed after 2 s, a dead gateway after 3 s: the settings of the system tests. */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration HEARTBEAT_TTL = Duration.ofSeconds(3);

    private final Path dir;
    private final String apiKey;
    private final RedisServer redis;
    private final KafkaBroker kafka;
    private final LocalApns apns;
    private final ServiceProcess registry;
    private final ServiceProcess fanout;
    private final ServiceProcess push;
    private final List<Gateway> gateways;

    /** A gateway-mqtt instance: its id, its MQTT port and its process. */
    public record Gateway(String id, int mqttPort, ServiceProcess process) {
        public String uri() {
            return "tcp://127.0.0.1:" + mqttPort;
        }
    }

    private ChaosStack(Path dir, String apiKey, RedisServer redis, KafkaBroker kafka, LocalApns apns,
            ServiceProcess registry, ServiceProcess fanout, ServiceProcess push, List<Gateway> gateways) {
        this.dir = dir;
        this.apiKey = apiKey;
        this.redis = redis;
        this.kafka = kafka;
        this.apns = apns;
        this.registry = registry;
        this.fanout = fanout;
        this.push = push;
        this.gateways = gateways;
    }

    /**
     * Starts everything under {@code dir} (data and logs): {@code gatewayCount} gateways, and push-service with the
     * local APNs when {@code withPush}. Prints each step, since a start takes tens of seconds on two cores.
     */
    public static ChaosStack start(Path dir, int gatewayCount, boolean withPush) {
        clean(dir);
        String apiKey = "tk_chaos_" + Long.toHexString(System.nanoTime());
        Path logs = dir.resolve("logs");
        // The APNs mock (its certificate made by keytool) needs neither Redis nor Kafka: it starts meanwhile (and is closed
        // once it has started if a step before its await fails).
        CompletableFuture<LocalApns> apnsStarting = withPush
                ? Meanwhile.start("apns", () -> LocalApns.start(dir.resolve("apns"), Ports.free(), dir.resolve("apns/received.jsonl")))
                : CompletableFuture.completedFuture(null);
        RedisServer redis;
        KafkaBroker kafka;
        LocalApns apns;
        try {
            redis = step("redis (append-only)", () -> RedisServer.start(dir.resolve("redis"), true));
            kafka = step("kafka", () -> KafkaBroker.start(dir.resolve("kafka")));
            kafka.createTopics(Topics.UPSTREAM, Topics.DOWNSTREAM, Topics.PRESENCE, Topics.RECEIPTS, Topics.PUSH, Topics.DLQ);
            apns = withPush ? step("apns (mock)", () -> Meanwhile.awaited(apnsStarting)) : null;
        } catch (RuntimeException e) {
            Meanwhile.closeWhenDone(apnsStarting);
            throw e;
        }
        Map<String, String> common = new LinkedHashMap<>();
        common.put("tether.redis.uri", redis.uri());
        common.put("tether.kafka.bootstrap-servers", kafka.bootstrapServers());
        common.put("tether.kafka.topics.partitions", Integer.toString(KafkaBroker.PARTITIONS));
        common.put("tether.api.bootstrap-key", apiKey);
        // A Tether run without push-service: no app publishes APNs credentials, so the registry and fanout must not ask
        // for one (else every device registration is refused).
        Map<String, String> registryConfig = new LinkedHashMap<>(common);
        if (!withPush) {
            registryConfig.put("tether.registry.require-push-app", "false");
        }
        List<ServiceProcess.Launch> launches = new ArrayList<>();
        launches.add(new ServiceProcess.Launch("device-registry", Ports.free(), registryConfig, logs.resolve("device-registry.log")));
        Map<String, String> fanoutConfig = new LinkedHashMap<>(common);
        // As in Kubernetes (the pod name, a heartbeat TTL's grace): a restarted fanout gets its partitions back at once,
        // and a gateway whose heartbeat stays away for its TTL is taken for dead.
        fanoutConfig.put("tether.kafka.instance-id", "fanout-1");
        fanoutConfig.put("tether.fanout.gateway-grace", "3s");
        if (!withPush) {
            fanoutConfig.put("tether.fanout.require-push-app", "false");
        }
        launches.add(new ServiceProcess.Launch("fanout-service", Ports.free(), fanoutConfig, logs.resolve("fanout-service.log")));
        if (withPush) {
            Map<String, String> pushConfig = new LinkedHashMap<>(common);
            pushConfig.putAll(apns.pushServiceConfig(dir.resolve("apns"), "example", BUNDLE_ID));
            pushConfig.put("tether.kafka.instance-id", "push-1");
            launches.add(new ServiceProcess.Launch("push-service", Ports.free(), pushConfig, logs.resolve("push-service.log")));
        }
        List<String> gatewayIds = new ArrayList<>();
        List<Integer> mqttPorts = new ArrayList<>();
        for (int i = 0; i < gatewayCount; i++) {
            String id = "gw-" + (char) ('a' + i);
            int mqttPort = Ports.free();
            Map<String, String> config = new LinkedHashMap<>(common);
            config.put("tether.gateway.id", id);
            config.put("tether.mqtt.host", "127.0.0.1");
            config.put("tether.mqtt.port", Integer.toString(mqttPort));
            config.put("tether.mqtt.websocket.port", Integer.toString(Ports.free()));
            config.put("tether.gateway.ack-timeout", ACK_TIMEOUT.toMillis() + "ms");
            config.put("tether.gateway.heartbeat-ttl", HEARTBEAT_TTL.toMillis() + "ms");
            launches.add(new ServiceProcess.Launch("gateway-mqtt", Ports.free(), config, logs.resolve("gateway-mqtt-" + id + ".log")));
            gatewayIds.add(id);
            mqttPorts.add(mqttPort);
        }
        String names = launches.stream().map(ServiceProcess.Launch::module).distinct().collect(java.util.stream.Collectors.joining(", "));
        List<ServiceProcess> services = step(names + " (together)", () -> ServiceProcess.startTogether(launches));
        ServiceProcess registry = services.get(0);
        ServiceProcess fanout = services.get(1);
        ServiceProcess push = withPush ? services.get(2) : null;
        List<Gateway> gateways = new ArrayList<>();
        int firstGateway = withPush ? 3 : 2;
        for (int i = 0; i < gatewayCount; i++) {
            gateways.add(new Gateway(gatewayIds.get(i), mqttPorts.get(i), services.get(firstGateway + i)));
        }
        return new ChaosStack(dir, apiKey, redis, kafka, apns, registry, fanout, push, List.copyOf(gateways));
    }

    /** The process a fault hits; for the gateway, the given instance. */
    public Faultable process(Component component, Gateway gateway) {
        return switch (component) {
            case REDIS -> redis;
            case KAFKA -> kafka;
            case GATEWAY -> gateway.process();
            case FANOUT -> fanout;
            case PUSH -> require(push, "push-service");
            case REGISTRY -> registry;
        };
    }

    /** The log a fault's findings are read from. */
    public Path log(Component component, Gateway gateway) {
        return switch (component) {
            case REDIS -> redis.dir().resolve("redis.log");
            case KAFKA -> kafka.dir().resolve("kafka.log");
            case GATEWAY -> gateway.process().logFile();
            case FANOUT -> fanout.logFile();
            case PUSH -> require(push, "push-service").logFile();
            case REGISTRY -> registry.logFile();
        };
    }

    public String apiKey() {
        return apiKey;
    }

    public String registryUrl() {
        return registry.baseUrl();
    }

    public String fanoutUrl() {
        return fanout.baseUrl();
    }

    public List<Gateway> gateways() {
        return gateways;
    }

    /** The file where the local APNs appends each notification it accepted (null without push). */
    public Path apnsRecord() {
        return apns == null ? null : apns.recordFile();
    }

    /** One command against the stack's Redis (see {@link io.tether.testkit.Resp#call}). */
    public Object redis(String... command) {
        try {
            return io.tether.testkit.Resp.call(redis.port(), command);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Kills the services (a graceful gateway drain would take its drain window) and stops Kafka and Redis. */
    @Override
    public void close() {
        List<ServiceProcess> services = new ArrayList<>();
        gateways.forEach(g -> services.add(g.process()));
        services.addAll(java.util.Arrays.asList(push, fanout, registry));
        for (ServiceProcess service : services) {
            if (service != null) {
                service.kill();
            }
        }
        for (AutoCloseable closeable : new AutoCloseable[] {push, fanout, registry, apns, kafka, redis}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.err.println("chaos: closing " + closeable + ": " + e);
                }
            }
        }
    }

    /** A run starts from nothing: no Redis file, Kafka log or log file of an earlier run. */
    private static void clean(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + dir, e);
        }
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalStateException(what + " is not part of this stack");
        }
        return value;
    }

    private static <T> T step(String name, java.util.function.Supplier<T> start) {
        long began = System.nanoTime();
        T started = start.get();
        System.out.printf("chaos: started %-20s (%.1f s)%n", name, (System.nanoTime() - began) / 1e9);
        return started;
    }
}
