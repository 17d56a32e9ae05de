package io.tether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node KRaft Kafka (broker and controller in one) in a JVM of its own, run from the
 * classpath that the local-kafka module writes. Its own JVM because the broker's dependencies (Scala,
 * log4j) must not leak into the services' test classpaths, and so a test can kill it like a crash.
 */
public final class KafkaBroker implements AutoCloseable, Faultable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Partitions of every topic this broker creates; services started against it get the same tether.kafka.topics.partitions. */
    public static final int PARTITIONS = 4;
    /** A small heap and the C1 compiler only: tests start many JVMs on few cores, and a test broker is never hot. */
    public static final List<String> TEST_JVM = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /**
     * What, besides the broker's jars, the storage StorageTool writes depends on (see {@link #writeConfig}); a change
     * here makes a new template ({@link KraftStorage}).
     */
    private static final String STORAGE_SHAPE = "node.id=1 process.roles=broker,controller static controller.quorum.voters; "
            + "StorageTool format -t <random> -c <config>";

    private final Path dir;
    private final int brokerPort;
    private final int controllerPort;
    private final List<String> jvmOptions;
    private Process process;
    /** The class archive a test broker's JVM maps or writes (null for other JVM options). */
    private ClassArchive classArchive;

    private KafkaBroker(Path dir, int brokerPort, int controllerPort, List<String> jvmOptions) {
        this.dir = dir.toAbsolutePath();
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Starts a broker on free ports with its data under {@code dir/data}. */
    public static KafkaBroker start(Path dir) {
        return start(dir, Ports.free(), Ports.free());
    }

    /** Starts a broker; data already formatted in {@code dir/data} is kept (a restart, not a new cluster). */
    public static KafkaBroker start(Path dir, int brokerPort, int controllerPort) {
        return start(dir, brokerPort, controllerPort, TEST_JVM);
    }

    /** Starts a broker whose JVM runs with {@code jvmOptions} instead of {@link #TEST_JVM} (a benchmark's broker). */
    public static KafkaBroker start(Path dir, int brokerPort, int controllerPort, List<String> jvmOptions) {
        KafkaBroker broker = new KafkaBroker(dir, brokerPort, controllerPort, jvmOptions);
        broker.launch();
        Shutdown.register(broker);
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Path dir() {
        return dir;
    }

    /** Creates topics with 4 partitions and replication factor 1; topics that exist already are fine. */
    public void createTopics(String... names) {
        try (Admin admin = admin()) {
            List<NewTopic> topics = Arrays.stream(names)
                    .map(name -> new NewTopic(name, PARTITIONS, (short) 1))
                    .collect(Collectors.toList());
            for (var result : admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + result.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic creation timed out", e);
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Controlled shutdown (SIGTERM), up to 20 s, then SIGKILL. */
    public synchronized void stop() {
        if (process != null) {
            Children.stop(process, Duration.ofSeconds(20));
            exited();
        }
    }

    @Override
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("Kafka is not running");
        }
        return process.pid();
    }

    @Override
    public synchronized void kill() {
        if (process != null) {
            Children.kill(process);
            exited();
        }
    }

    private void exited() {
        if (classArchive != null) {
            classArchive.exited(process);
        }
        process = null;
    }

    /** Stops (if still running) and starts again on the same ports and data. */
    @Override
    public synchronized void restart() {
        stop();
        launch();
    }

    @Override
    public synchronized void close() {
        stop();
        Shutdown.unregister(this);
    }

    @Override
    public String toString() {
        return "kafka on " + bootstrapServers();
    }

    private synchronized void launch() {
        Path root = TetherRoot.path();
        Path classpathFile = root.resolve("local-kafka/target/classpath.txt");
        Path classes = root.resolve("local-kafka/target/classes");
        if (!Files.isRegularFile(classpathFile) || !Files.isDirectory(classes)) {
            throw new IllegalStateException("no Kafka broker classpath at " + classpathFile
                    + ": build first: ./mvnw -DskipTests install");
        }
        Path log = dir.resolve("kafka.log");
        long logStart = Logs.size(log);
        try {
            Files.createDirectories(dir);
            String classpath = Files.readString(classpathFile, StandardCharsets.UTF_8).trim() + ":" + classes;
            Path config = writeConfig(dir.resolve("data"), dir.resolve("server.properties"));
            if (!Files.exists(dir.resolve("data/meta.properties"))) {
                Path template = KraftStorage.formatInto(dir.resolve("data"), root.resolve("local-kafka/target"),
                        classpath + "\n" + STORAGE_SHAPE,
                        data -> format(classpath, writeConfig(data, data.resolveSibling("format.properties")), log));
                Logs.append(log, "storage: a copy of " + template + " (formatted by kafka.tools.StorageTool once per build)");
            }
            List<String> archive = List.of();
            if (jvmOptions.equals(TEST_JVM)) {
                // Only the tests' brokers: a benchmark's broker starts as in production.
                if (classArchive == null) {
                    classArchive = ClassArchive.of(root.resolve("local-kafka/target/class-archives"), "broker", classpath, jvmOptions);
                }
                archive = classArchive.options();
            }
            process = Children.start(java(classpath, archive, List.of("kafka.Kafka", config.toString()), log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka in " + dir, e);
        }
        boolean up;
        try (Admin admin = admin()) {
            up = Poll.until(START_TIMEOUT, Duration.ofMillis(100), () -> !process.isAlive() || hasBroker(admin));
        }
        if (!up || !process.isAlive()) {
            String why = process.isAlive() ? "not ready within " + START_TIMEOUT.toSeconds() + " s" : "it exited";
            Children.kill(process);
            process = null;
            throw new IllegalStateException("Kafka on " + bootstrapServers() + " did not start (" + why + "); "
                    + log + " ends with:\n" + Logs.tail(log, logStart, 40));
        }
    }

    /** Writes the broker's settings, with its storage in {@code dataDir}, to {@code file}. */
    private Path writeConfig(Path dataDir, Path file) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", "1");
        // Static voters: the formatted storage holds no address, so it can be a copy of a template (KraftStorage).
        settings.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        settings.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        settings.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("inter.broker.listener.name", "PLAINTEXT");
        settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        settings.put("log.dirs", dataDir.toString());
        settings.put("num.partitions", String.valueOf(PARTITIONS));
        settings.put("default.replication.factor", "1");
        settings.put("auto.create.topics.enable", "true");
        settings.put("offsets.topic.replication.factor", "1");
        // 4 instead of 50 partitions: the first consumer group is ready in a fraction of the time.
        settings.put("offsets.topic.num.partitions", "4");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("transaction.state.log.num.partitions", "4");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        // After a kill -9 the restarted broker may register only once its old session expired (default 9 s).
        settings.put("broker.heartbeat.interval.ms", "500");
        settings.put("broker.session.timeout.ms", "4000");
        // Few threads: the machine has 2 cores and runs several JVMs.
        settings.put("num.network.threads", "2");
        settings.put("num.io.threads", "2");
        settings.put("num.recovery.threads.per.data.dir", "1");
        String text = settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "# Written by io.tether.testkit.KafkaBroker\n", "\n"));
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private void format(String classpath, Path config, Path log) throws IOException {
        long logStart = Logs.size(log);
        Process formatter = Children.start(java(classpath, List.of(), List.of("kafka.tools.StorageTool",
                "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()), log));
        try {
            if (!formatter.waitFor(60, TimeUnit.SECONDS)) {
                Children.kill(formatter);
                throw new IllegalStateException("formatting Kafka storage timed out; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Children.kill(formatter);
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
        Children.stop(formatter, Duration.ZERO);
        if (formatter.exitValue() != 0) {
            throw new IllegalStateException("formatting Kafka storage failed (exit " + formatter.exitValue() + "); "
                    + log + " ends with:\n" + Logs.tail(log, logStart, 20));
        }
    }

    private ProcessBuilder java(String classpath, List<String> archiveOptions, List<String> mainAndArgs, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(archiveOptions);
        command.addAll(List.of(
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + TetherRoot.path().resolve("local-kafka/target/classes/log4j2.properties"),
                "-cp", classpath));
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    private static boolean hasBroker(Admin admin) {
        try {
            return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }
}
