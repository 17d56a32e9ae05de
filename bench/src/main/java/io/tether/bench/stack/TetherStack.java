package io.tether.bench.stack;

import io.tether.contract.Topics;
import io.tether.testkit.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole of Tether for a benchmark run, on 127.0.0.1 and free ports: Redis, Kafka, the mock APNs (in this JVM),
 * device-registry, fanout-service, push-service and gateway-mqtt, each service a JVM of its own started from its
 * packaged jar with production JVM options ({@link #SERVICE_JVM}, overridable with {@code -Dbench.service.jvm}).
 */
public final class TetherStack implements AutoCloseable {
    public static final String BUNDLE_ID = "com.example.bench";
    /**
     * G1, and the C1 compiler only: six JVMs share two cores here, and C2 compile threads took 40 % of a core in
     * fanout alone for minutes, starving the services until they fell behind at 400 msg/s (issue 8 note; p99 6.3 s
     * with C2, 0.75 s without). On nodes with cores to spare, the full JIT is the better default. The gateway gets
     * more heap for 100k connections.
     */
    public static final String SERVICE_JVM = "-Xms128m -Xmx1g -XX:+UseG1GC -XX:TieredStopAtLevel=1";
    public static final String GATEWAY_JVM = "-Xms128m -Xmx2g -XX:+UseG1GC -XX:TieredStopAtLevel=1";
    public static final String KAFKA_JVM = "-Xms256m -Xmx1g -XX:+UseG1GC";

    private final List<AutoCloseable> started = new ArrayList<>();
    private final String apiKey = "tk_bench_" + Long.toHexString(System.nanoTime());
    private Proc redis;
    private Proc kafka;
    private Proc registry;
    private Proc fanout;
    private Proc push;
    private Proc gateway;
    private BenchApns apns;
    private int redisPort;
    private int kafkaPort;
    private int mqttPort;
    private int registryPort;
    private int fanoutPort;
    private int gatewayHttpPort;

    private TetherStack() {
    }

    /** Starts everything, logs under {@code dir}; {@code ackTimeout} is the gateway's PUBACK deadline. */
    public static TetherStack start(Path dir, Duration ackTimeout) {
        return start(dir, ackTimeout, Map.of(), Map.of());
    }

    /** As {@link #start(Path, Duration)}, with settings added for every service and for the gateway alone. */
    public static TetherStack start(Path dir, Duration ackTimeout, Map<String, String> everyService, Map<String, String> gatewayOnly) {
        TetherStack stack = new TetherStack();
        try {
            stack.launch(dir, ackTimeout, everyService, gatewayOnly);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void launch(Path dir, Duration ackTimeout, Map<String, String> everyService, Map<String, String> gatewayOnly) {
        Path logs = dir.resolve("logs");
        redisPort = Ports.free();
        redis = step("redis", () -> Redis.start(dir.resolve("redis"), redisPort));
        kafkaPort = Ports.free();
        kafka = step("kafka", () -> Kafka.start(dir.resolve("kafka"), kafkaPort, Ports.free(),
                withJfr(options("bench.kafka.jvm", KAFKA_JVM), "kafka")));
        Kafka.createTopics(kafkaBootstrap(), List.of(Topics.UPSTREAM, Topics.DOWNSTREAM, Topics.PRESENCE, Topics.RECEIPTS,
                Topics.PUSH, Topics.DLQ));
        apns = step("apns (mock)", () -> BenchApns.start(dir.resolve("apns"), Ports.free(), BUNDLE_ID));
        started.add(apns);

        Map<String, String> common = new LinkedHashMap<>();
        common.put("tether.redis.uri", "redis://127.0.0.1:" + redisPort);
        common.put("tether.kafka.bootstrap-servers", kafkaBootstrap());
        common.put("tether.kafka.topics.partitions", Integer.toString(Kafka.PARTITIONS));
        common.put("tether.api.bootstrap-key", apiKey);
        // One API key drives up to 10k requests/s here; the per-key limit (1000/s by default) would measure itself.
        common.put("tether.api.rate-limit.enabled", "false");
        common.putAll(everyService);
        List<String> jvm = options("bench.service.jvm", SERVICE_JVM);

        registryPort = Ports.free();
        registry = step("device-registry", () -> Service.start("device-registry", registryPort, common,
                withJfr(jvm, "device-registry"), logs));
        fanoutPort = Ports.free();
        fanout = step("fanout-service", () -> Service.start("fanout-service", fanoutPort, common, withJfr(jvm, "fanout-service"), logs));

        Map<String, String> pushConfig = new LinkedHashMap<>(common);
        pushConfig.put("tether.apns.server-host", "127.0.0.1");
        pushConfig.put("tether.apns.server-port", String.valueOf(apns.port()));
        pushConfig.put("tether.apns.trusted-server-certificate", apns.certificatePem().toString());
        pushConfig.put("tether.apns.apps.bench.bundle-id", BUNDLE_ID);
        pushConfig.put("tether.apns.apps.bench.team-id", BenchApns.TEAM_ID);
        pushConfig.put("tether.apns.apps.bench.key-id", BenchApns.KEY_ID);
        pushConfig.put("tether.apns.apps.bench.signing-key", apns.signingKey().p8().toString());
        push = step("push-service", () -> Service.start("push-service", Ports.free(), pushConfig, withJfr(jvm, "push-service"), logs));

        mqttPort = Ports.free();
        gatewayHttpPort = Ports.free();
        Map<String, String> gatewayConfig = new LinkedHashMap<>(common);
        gatewayConfig.put("tether.gateway.id", "gw-bench");
        gatewayConfig.put("tether.mqtt.host", "127.0.0.1");
        gatewayConfig.put("tether.mqtt.port", String.valueOf(mqttPort));
        gatewayConfig.put("tether.mqtt.websocket.port", "0");
        gatewayConfig.put("tether.gateway.ack-timeout", ackTimeout.toMillis() + "ms");
        // The default 100 publishes/s per connection protects production from a runaway device; a benchmark publisher
        // is meant to run as fast as the gateway lets it.
        gatewayConfig.put("tether.mqtt.limits.publish-per-second", "1000000");
        gatewayConfig.put("tether.mqtt.limits.publish-burst", "1000000");
        gatewayConfig.putAll(gatewayOnly);
        gateway = step("gateway-mqtt", () -> Service.start("gateway-mqtt", gatewayHttpPort, gatewayConfig,
                withJfr(options("bench.gateway.jvm", GATEWAY_JVM), "gateway-mqtt"), logs));
    }

    private <T> T step(String name, java.util.function.Supplier<T> action) {
        System.out.printf("bench: starting %-16s ... ", name);
        System.out.flush();
        long t0 = System.nanoTime();
        T result = action.get();
        if (result instanceof Proc proc) {
            started.add(proc);
        }
        System.out.printf("ok (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
        return result;
    }

    /**
     * With {@code -Dbench.jfr.dir=DIR} (bench/run --jfr), every JVM records a JFR profile to DIR/<name>.jfr, written at
     * exit: open with JDK Mission Control or {@code jfr print --events jdk.ExecutionSample}.
     */
    private static List<String> withJfr(List<String> options, String name) {
        String dir = System.getProperty("bench.jfr.dir");
        if (dir == null || dir.isBlank()) {
            return options;
        }
        List<String> out = new ArrayList<>(options);
        out.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + Path.of(dir).resolve(name + ".jfr"));
        return out;
    }

    private static List<String> options(String property, String fallback) {
        return Arrays.stream(System.getProperty(property, fallback).trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    public String apiKey() {
        return apiKey;
    }

    public int mqttPort() {
        return mqttPort;
    }

    public int registryPort() {
        return registryPort;
    }

    public int fanoutPort() {
        return fanoutPort;
    }

    public int redisPort() {
        return redisPort;
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public Proc gateway() {
        return gateway;
    }

    public Proc kafka() {
        return kafka;
    }

    public Proc redis() {
        return redis;
    }

    public Proc fanout() {
        return fanout;
    }

    public Proc push() {
        return push;
    }

    public Proc registry() {
        return registry;
    }

    public BenchApns apns() {
        return apns;
    }

    /** Every process of Tether (services, Kafka, Redis). */
    public List<Proc> processes() {
        return List.of(gateway, fanout, push, registry, kafka, redis);
    }

    /** Stops what was started, newest first. */
    @Override
    public synchronized void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("bench: stopping " + started.get(i) + ": " + e);
            }
        }
        started.clear();
    }
}
