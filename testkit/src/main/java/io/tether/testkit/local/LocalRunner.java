package io.tether.testkit.local;

import static io.tether.testkit.local.LocalSettings.APNS;
import static io.tether.testkit.local.LocalSettings.DEVICE_HTTPS;
import static io.tether.testkit.local.LocalSettings.S3;
import static io.tether.testkit.local.LocalSettings.FANOUT;
import static io.tether.testkit.local.LocalSettings.GATEWAY_HTTP;
import static io.tether.testkit.local.LocalSettings.KAFKA;
import static io.tether.testkit.local.LocalSettings.KAFKA_CONTROLLER;
import static io.tether.testkit.local.LocalSettings.MQTT;
import static io.tether.testkit.local.LocalSettings.MQTT_TLS;
import static io.tether.testkit.local.LocalSettings.MQTT_WS;
import static io.tether.testkit.local.LocalSettings.MQTT_WSS;
import static io.tether.testkit.local.LocalSettings.PUSH;
import static io.tether.testkit.local.LocalSettings.REDIS;
import static io.tether.testkit.local.LocalSettings.REGISTRY;
import static io.tether.testkit.local.LocalSettings.WEBHOOK;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.tether.contract.Topics;
import io.tether.testkit.Children;
import io.tether.testkit.KafkaBroker;
import io.tether.testkit.LocalApns;
import io.tether.testkit.Meanwhile;
import io.tether.testkit.Ports;
import io.tether.testkit.RedisServer;
import io.tether.testkit.S3Server;
import io.tether.testkit.ServiceProcess;
import io.tether.testkit.Shutdown;
import io.tether.testkit.TetherRoot;

/**
 * The process behind {@code deploy/local/up}: Redis, Kafka, a local APNs and the five services on
 * 127.0.0.1, state kept in TETHER_HOME across runs, everything stopped in reverse order at exit.
 * Writes TETHER_HOME/runner.pid at start and TETHER_HOME/ready once all is up.
 */
public final class LocalRunner {
    /**
     * The bundle id push-service is configured for locally: {@code *}, every bundle id, since the local APNs accepts
     * any topic signed by the local key; a newcomer registers devices with their own app id and sees the pushes.
     */
    static final String LOCAL_BUNDLE_ID = "*";
    private static final List<String> TOPICS = List.of(Topics.UPSTREAM, Topics.DOWNSTREAM, Topics.PRESENCE,
            Topics.RECEIPTS, Topics.PUSH, Topics.DLQ, Topics.EVENTS);

    private static final List<String> SERVICES = List.of("device-registry", "fanout-service", "push-service",
            "gateway-mqtt", "webhook-service");

    private final LocalSettings settings;
    private final Path home;
    private final Path logs;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, BooleanSupplier> liveness = new LinkedHashMap<>();

    private LocalRunner(LocalSettings settings) {
        this.settings = settings;
        this.home = settings.home();
        this.logs = home.resolve("logs");
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--reap-orphans")) {
            Children.reapOrphans(); // for deploy/local/down after the runner was killed with -9
            return;
        }
        try {
            new LocalRunner(LocalSettings.from(System.getenv(), TetherRoot.path())).run();
        } catch (Exception e) {
            System.err.println("tether local: FAILED: " + e.getMessage());
            System.exit(1); // the shutdown hook stops what did start
        }
    }

    private void run() throws Exception {
        Files.createDirectories(logs);
        refuseSecondRunner();
        Children.reapOrphans(); // a runner killed with -9 left its children holding our ports
        checkPorts();
        SERVICES.forEach(ServiceProcess::jarOf); // fail before starting anything when a service is not built
        Path pidFile = home.resolve("runner.pid");
        Path ready = home.resolve("ready");
        Files.deleteIfExists(ready);
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        // Registered first, so it runs last, after every component is stopped.
        Shutdown.register(() -> {
            Files.deleteIfExists(ready);
            Files.deleteIfExists(pidFile);
            System.out.println("tether local: stopped");
        });

        Path keyFile = home.resolve("api-key");
        String apiKey = ApiKey.resolve(settings.apiKey(), keyFile);
        System.out.println("tether local: state in " + home);

        RedisServer redis = step("redis", () -> RedisServer.start(home.resolve("redis"), settings.port(REDIS), true));
        add("redis", redis, redis.uri(), redis.dir().resolve("redis.log"), redis::isAlive);
        // Kafka takes seconds to come up and the APNs mock, S3 and the certificate (keytool runs) need nothing of it:
        // they start meanwhile; the steps below wait for what is left of each (their times count that wait only).
        // What a failed start leaves behind stops with this JVM (S3's process through Children, the mock in-process).
        Path apnsRecord = home.resolve("apns-received.jsonl");
        CompletableFuture<LocalApns> apnsStarting = Meanwhile.start("apns", () -> LocalApns.start(home.resolve("apns"), settings.port(APNS), apnsRecord));
        CompletableFuture<S3Server> s3Starting = Meanwhile.start("s3", () -> S3Server.start(home.resolve("s3"), settings.port(S3)));
        // MQTT over TLS, WSS and the device HTTPS endpoint share one certificate signed by the local CA:
        // curl --cacert TETHER_HOME/tls/tether-local-ca.crt.
        CompletableFuture<LocalTls> tlsMaking = Meanwhile.start("tls", () -> LocalTls.ensure(home.resolve("tls")));
        KafkaBroker kafka = step("kafka", () -> KafkaBroker.start(home.resolve("kafka"),
                settings.port(KAFKA), settings.port(KAFKA_CONTROLLER)));
        add("kafka", kafka, kafka.bootstrapServers(), kafka.dir().resolve("kafka.log"), kafka::isAlive);
        step("topics", () -> {
            kafka.createTopics(TOPICS.toArray(String[]::new));
            return null;
        });
        LocalApns apns = step("apns (mock)", () -> Meanwhile.awaited(apnsStarting));
        add("apns (mock)", apns, "https://127.0.0.1:" + apns.port(), null, () -> true);

        S3Server s3 = step("s3 (s3proxy)", () -> Meanwhile.awaited(s3Starting));
        add("s3 (s3proxy)", s3, s3.endpoint(), s3.dir().resolve("s3proxy.log"), s3::isAlive);
        LocalTls tls = step("tls certificate", () -> Meanwhile.awaited(tlsMaking));
        String deviceUrl = "https://localhost:" + settings.port(DEVICE_HTTPS);

        Map<String, String> common = orderedMap(
                "tether.redis.uri", redis.uri(),
                "tether.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "tether.kafka.topics.partitions", Integer.toString(KafkaBroker.PARTITIONS),
                "tether.api.bootstrap-key", apiKey,
                // Signing key made once by fanout (the first service that needs it) and kept in TETHER_HOME/signing.
                "tether.attachments.signing-keys-dir", home.resolve("signing").toString(),
                "tether.attachments.generate-signing-key", "true",
                "tether.attachments.public-url", deviceUrl);
        common.putAll(s3.serviceConfig("tether-attachments"));
        List<ServiceProcess.Launch> launches = new ArrayList<>();
        launches.add(launch("device-registry", settings.port(REGISTRY), common, Map.of()));
        // Static group membership, as the pod name gives in Kubernetes: a restarted fanout gets its partitions at once.
        launches.add(launch("fanout-service", settings.port(FANOUT), common, Map.of("tether.kafka.instance-id", "fanout-local")));
        // One catch-all app signing with a local .p8 key, as a backend configures its own app (with its bundle id).
        launches.add(launch("push-service", settings.port(PUSH), common,
                apns.pushServiceConfig(home.resolve("apns"), "example", LOCAL_BUNDLE_ID)));
        launches.add(launch("gateway-mqtt", settings.port(GATEWAY_HTTP), common, orderedMap(
                "tether.mqtt.port", String.valueOf(settings.port(MQTT)),
                "tether.mqtt.websocket.port", String.valueOf(settings.port(MQTT_WS)),
                "tether.mqtt.tls.port", String.valueOf(settings.port(MQTT_TLS)),
                "tether.mqtt.websocket.tls-port", String.valueOf(settings.port(MQTT_WSS)),
                "tether.mqtt.tls.certificates[0].cert", tls.serverCert().toString(),
                "tether.mqtt.tls.certificates[0].key", tls.serverKey().toString(),
                "tether.mqtt.host", settings.mqttHost(),
                "tether.device-http.port", String.valueOf(settings.port(DEVICE_HTTPS)),
                "tether.gateway.id", "gw-local")));
        // A local run's receivers listen on this machine (127.0.0.1, the LAN): addresses production refuses.
        launches.add(launch("webhook-service", settings.port(WEBHOOK), common, Map.of("tether.webhooks.allow-private-destinations", "true")));
        List<ServiceProcess> services = step("the services", () -> ServiceProcess.startTogether(launches));
        // The combined stop replaces the services' own entries; registered first, so a Ctrl-C in between still stops
        // them gracefully (twice is harmless: a stopped service's close does nothing).
        Shutdown.register(stoppedTogether(services));
        for (ServiceProcess service : services) {
            rows.add(new Row(service.module(), service.baseUrl(), service.logFile()));
            liveness.put(service.module(), service::isAlive);
            Shutdown.unregister(service);
        }
        ServiceProcess gateway = services.get(3);
        String host = settings.mqttHost().equals("0.0.0.0") ? "127.0.0.1" : settings.mqttHost();
        rows.set(rows.size() - 2, new Row("gateway-mqtt", "mqtt://" + host + ":" + settings.port(MQTT)
                + "  mqtts://" + host + ":" + settings.port(MQTT_TLS)
                + "  ws://" + host + ":" + settings.port(MQTT_WS) + "/mqtt  wss://" + host + ":" + settings.port(MQTT_WSS) + "/mqtt  "
                + deviceUrl + "  " + gateway.baseUrl(), gateway.logFile()));

        String summary = summary(apiKey, keyFile, apnsRecord, apns.certificatePath(), tls).replace("\nCtrl-C",
                "Device HTTPS:   " + deviceUrl + "  (curl --cacert " + tls.caCert() + "; keys at " + deviceUrl
                        + "/.well-known/jwks.json)\n\nCtrl-C");
        Files.writeString(home.resolve("summary.txt"), summary, StandardCharsets.UTF_8);
        Shutdown.register(watchForDeaths());
        Files.writeString(ready, ProcessHandle.current().pid() + "\n");
        System.out.print(summary);
        new CountDownLatch(1).await(); // until SIGTERM/Ctrl-C runs the shutdown hook
    }

    private ServiceProcess.Launch launch(String module, int port, Map<String, String> common, Map<String, String> extra) {
        Map<String, String> config = new LinkedHashMap<>(common);
        config.putAll(extra);
        return new ServiceProcess.Launch(module, port, config, logs.resolve(module + ".log"));
    }

    private static <T> T step(String name, Supplier<T> action) {
        System.out.printf("starting %-16s ... ", name);
        System.out.flush();
        long started = System.nanoTime();
        try {
            T result = action.get();
            System.out.printf("ok (%.1f s)%n", (System.nanoTime() - started) / 1e9);
            return result;
        } catch (RuntimeException e) {
            System.out.println("failed");
            throw e;
        }
    }

    /** Lists a started component and has it stopped at exit with a progress line, in reverse start order. */
    private void add(String name, AutoCloseable component, String address, Path log, BooleanSupplier alive) {
        rows.add(new Row(name, address, log));
        liveness.put(name, alive);
        Shutdown.unregister(component);
        Shutdown.register(() -> {
            System.out.printf("stopping %-16s ... ", name);
            long started = System.nanoTime();
            component.close();
            System.out.printf("ok (%.1f s)%n", (System.nanoTime() - started) / 1e9);
        });
    }

    /**
     * Stops the services side by side, as they started (none waits for another, and each takes a second or two), with
     * one progress line, before what they use (registered after them, so it runs before the rest).
     */
    private static AutoCloseable stoppedTogether(List<ServiceProcess> services) {
        return () -> {
            System.out.printf("stopping %-16s ... ", "the services");
            long started = System.nanoTime();
            ServiceProcess.closeTogether(services);
            System.out.printf("ok (%.1f s)%n", (System.nanoTime() - started) / 1e9);
        };
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private void refuseSecondRunner() throws IOException {
        Path pidFile = home.resolve("runner.pid");
        if (Files.exists(pidFile)) {
            String pid = Files.readString(pidFile).trim();
            boolean alive = pid.matches("\\d+") && Children.isRunning(Long.parseLong(pid));
            if (alive && Long.parseLong(pid) != ProcessHandle.current().pid()) {
                throw new IllegalStateException("a local Tether already runs from " + home + " (pid " + pid
                        + "); stop it with deploy/local/down");
            }
        }
    }

    private void checkPorts() {
        Map<Integer, String> seen = new HashMap<>();
        settings.ports().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            String previous = seen.putIfAbsent(entry.getValue(), entry.getKey());
            if (previous != null) {
                throw new IllegalStateException(previous + " and " + entry.getKey() + " are both " + entry.getValue()
                        + ": set one of them to another port");
            }
            if (!Ports.isFree(entry.getValue())) {
                throw new IllegalStateException("port " + entry.getValue() + " is already in use: stop what uses it, "
                        + "or set " + entry.getKey() + " to another port");
            }
        });
    }

    /** Tells the developer at once when a component dies, instead of letting requests fail mysteriously. */
    private AutoCloseable watchForDeaths() {
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tether-watch");
            thread.setDaemon(true);
            return thread;
        });
        Map<String, Boolean> reported = new HashMap<>();
        watcher.scheduleWithFixedDelay(() -> liveness.forEach((name, alive) -> {
            if (!alive.getAsBoolean() && reported.putIfAbsent(name, true) == null) {
                System.err.println("tether local: " + name + " has stopped; see " + logOf(name));
            }
        }), 2, 2, TimeUnit.SECONDS);
        return () -> {
            watcher.shutdownNow();
            watcher.awaitTermination(5, TimeUnit.SECONDS);
        };
    }

    private String logOf(String name) {
        return rows.stream().filter(r -> r.name.equals(name) && r.log != null)
                .map(r -> r.log.toString()).findFirst().orElse("its log");
    }

    private String summary(String apiKey, Path keyFile, Path apnsRecord, Path apnsCertificate, LocalTls tls) {
        StringBuilder out = new StringBuilder("\nTether runs locally (TETHER_HOME=" + home + ")\n\n");
        out.append(String.format("  %-16s %-46s %s%n", "component", "address", "log"));
        for (Row row : rows) {
            out.append(String.format("  %-16s %-46s %s%n", row.name, row.address, row.log == null ? "-" : row.log));
        }
        out.append("\nAPI key:        ").append(apiKey).append(settings.apiKey() != null
                ? "  (from TETHER_API_KEY)\n" : "  (kept in " + keyFile + ")\n");
        out.append("APNs received:  ").append(apnsRecord).append("  (one JSON line per accepted notification)\n");
        out.append("APNs cert:      ").append(apnsCertificate).append("  (what an APNs client must trust)\n");
        out.append("MQTT TLS CA:    ").append(tls.caCert()).append("  (TLS 1.2/1.3 on ").append(settings.port(MQTT_TLS))
                .append(" and WSS on ").append(settings.port(MQTT_WSS)).append(")\n");
        out.append(tls.howToTrust());
        out.append("\nCtrl-C to stop (or deploy/local/down when started with --detach)\n");
        return out.toString();
    }

    private record Row(String name, String address, Path log) {
    }
}
