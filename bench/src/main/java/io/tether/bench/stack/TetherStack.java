package io.tether.bench.stack;

import io.tether.testkit.KafkaBroker;
import io.tether.testkit.LocalApns;
import io.tether.testkit.Meanwhile;
import io.tether.testkit.Ports;
import io.tether.testkit.RedisServer;
import io.tether.testkit.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The whole of Tether for a benchmark run, on 127.0.0.1 and free ports, started with the testkit's launchers: Redis
 * (append-only, with the run's fsync policy), Kafka, the APNs mock (in this JVM), device-registry, fanout-service, push-service
 * and gateway-mqtt, each service a JVM of its own from its packaged jar in {@code servicesRoot} (the current checkout,
 * or the other build of an A/B comparison), with the run's {@link JvmFlags}. The services create their Kafka topics
 * themselves, as in production.
 */
public final class TetherStack implements AutoCloseable {
    public static final String BUNDLE_ID = "com.example.bench";
    /** Partitions of every Tether topic: as many as the services' default. */
    static final int PARTITIONS = 8;

    private final Started started = new Started();
    private final String apiKey = "tk_bench_" + Long.toHexString(System.nanoTime());
    private final ApnsSink apnsSink = new ApnsSink();
    private RedisServer redis;
    private KafkaBroker kafka;
    private LocalApns apns;
    private Path apnsDir;
    private ServiceProcess registry;
    private ServiceProcess fanout;
    private ServiceProcess push;
    private ServiceProcess gateway;
    private int mqttPort;

    private TetherStack() {
    }

    /** Starts everything, files under {@code dir}; {@code ackTimeout} is the gateway's PUBACK deadline. */
    public static TetherStack start(Path dir, Duration ackTimeout, JvmFlags jvm, String redisFsync, Path servicesRoot) {
        return start(dir, ackTimeout, jvm, redisFsync, servicesRoot, Map.of(), Map.of());
    }

    /** As above, with settings added for every service and for the gateway alone. */
    public static TetherStack start(Path dir, Duration ackTimeout, JvmFlags jvm, String redisFsync, Path servicesRoot,
            Map<String, String> everyService, Map<String, String> gatewayOnly) {
        TetherStack stack = new TetherStack();
        try {
            stack.launch(dir, ackTimeout, jvm, redisFsync, servicesRoot, everyService, gatewayOnly);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void launch(Path dir, Duration ackTimeout, JvmFlags jvm, String redisFsync, Path root,
            Map<String, String> everyService, Map<String, String> gatewayOnly) {
        Path logs = dir.resolve("logs");
        apnsDir = dir.resolve("apns");
        // The APNs mock (its certificate made by keytool) needs neither Redis nor Kafka: it starts meanwhile, and its step
        // below counts what is left of its start.
        CompletableFuture<LocalApns> apnsStarting = Meanwhile.start("apns", () -> LocalApns.start(apnsDir, Ports.free(), apnsSink));
        try {
            redis = step("redis", () -> RedisServer.startAppendOnly(dir.resolve("redis"), redisFsync));
            kafka = step("kafka", () -> KafkaBroker.start(dir.resolve("kafka"), Ports.free(), Ports.free(), jvm.kafka()));
        } catch (RuntimeException e) {
            Meanwhile.closeWhenDone(apnsStarting);
            throw e;
        }
        apns = step("apns (mock)", () -> Meanwhile.awaited(apnsStarting));

        Map<String, String> common = new LinkedHashMap<>();
        common.put("tether.redis.uri", redis.uri());
        common.put("tether.kafka.bootstrap-servers", kafka.bootstrapServers());
        // The services create their topics with this many partitions (and check existing ones against it).
        common.put("tether.kafka.topics.partitions", Integer.toString(PARTITIONS));
        common.put("tether.api.bootstrap-key", apiKey);
        // One API key drives thousands of requests/s here; the per-key limit (1000/s by default) would measure itself.
        common.put("tether.api.rate-limit.enabled", "false");
        // An A/B run starts an older build with this harness's settings; keys that build does not know yet (topic
        // partitions, instance ids) must not stop it (SRCFG00050), as they would by default.
        common.put("smallrye.config.mapping.validate-unknown", "false");
        common.putAll(everyService);

        // A stable name per process, as Helm gives each pod: fanout and push join their groups as static members
        // (tether.kafka.instance-id), the way production runs them. Builds that predate the key ignore it (see above).
        Map<String, String> fanoutConfig = new LinkedHashMap<>(common);
        fanoutConfig.put("tether.kafka.instance-id", "fanout-bench");
        Map<String, String> pushConfig = new LinkedHashMap<>(common);
        pushConfig.put("tether.kafka.instance-id", "push-bench");
        pushConfig.putAll(apns.pushServiceConfig(apnsDir, "bench", BUNDLE_ID));

        mqttPort = Ports.free();
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
        List<ServiceProcess.Launch> launches = List.of(
                launch("device-registry", common, jvm.service("device-registry"), logs, root),
                launch("fanout-service", fanoutConfig, jvm.service("fanout-service"), logs, root),
                launch("push-service", pushConfig, jvm.service("push-service"), logs, root),
                launch("gateway-mqtt", gatewayConfig, jvm.gateway(), logs, root));
        // Started side by side, as pods are; the scenarios warm each up before they measure.
        System.out.printf("bench: starting %s together ... ", String.join(", ", launches.stream().map(ServiceProcess.Launch::module).toList()));
        System.out.flush();
        long t0 = System.nanoTime();
        List<ServiceProcess> services = ServiceProcess.startTogether(launches);
        services.forEach(started::add);
        System.out.printf("ok (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
        registry = services.get(0);
        fanout = services.get(1);
        push = services.get(2);
        gateway = services.get(3);
    }

    private static ServiceProcess.Launch launch(String module, Map<String, String> config, List<String> jvm, Path logs, Path root) {
        return new ServiceProcess.Launch(module, Ports.free(), config, logs.resolve(module + ".log"), jvm, root);
    }

    private <T extends AutoCloseable> T step(String name, Supplier<T> action) {
        System.out.printf("bench: starting %-16s ... ", name);
        System.out.flush();
        long t0 = System.nanoTime();
        T result = action.get();
        started.add(result);
        System.out.printf("ok (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
        return result;
    }

    public String apiKey() {
        return apiKey;
    }

    public int mqttPort() {
        return mqttPort;
    }

    public int registryPort() {
        return registry.httpPort();
    }

    public int fanoutPort() {
        return fanout.httpPort();
    }

    public int redisPort() {
        return redis.port();
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public ServiceProcess gateway() {
        return gateway;
    }

    /** The APNs mock's port, its certificate (to trust) and signing key: what any APNs client needs. */
    public int apnsPort() {
        return apns.port();
    }

    public Path apnsCertificate() {
        return apns.certificatePath();
    }

    public Path apnsSigningKey() {
        return LocalApns.signingKey(apnsDir);
    }

    public ApnsSink apns() {
        return apnsSink;
    }

    /** Every process of Tether by name (the names the report uses): pids for CPU and memory. */
    public Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("device-registry", registry.pid());
        pids.put("fanout-service", fanout.pid());
        pids.put("push-service", push.pid());
        pids.put("gateway-mqtt", gateway.pid());
        pids.put("kafka", kafka.pid());
        pids.put("redis", redis.pid());
        return pids;
    }

    public boolean isAlive() {
        return redis.isAlive() && kafka.isAlive() && registry.isAlive() && fanout.isAlive() && push.isAlive() && gateway.isAlive();
    }

    /** Stops what was started, newest first. */
    @Override
    public void close() {
        started.close();
    }
}
