package io.tether.bench.stack;

import io.tether.testkit.TetherRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A single-node KRaft Kafka (broker and controller in one JVM) from the classpath local-kafka writes, configured
 * like the testkit's broker but with a full-JIT JVM: its CPU per message is one of the reported figures.
 */
public final class Kafka {
    public static final int PARTITIONS = 8;

    private Kafka() {
    }

    public static Proc start(Path dir, int port, int controllerPort, List<String> jvmOptions) {
        Path root = TetherRoot.path();
        Path classpathFile = root.resolve("local-kafka/target/classpath.txt");
        Path classes = root.resolve("local-kafka/target/classes");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException("no Kafka classpath at " + classpathFile + ": build first (bench/run does)");
        }
        try {
            Files.createDirectories(dir);
            String classpath = Files.readString(classpathFile, StandardCharsets.UTF_8).trim() + ":" + classes;
            Path config = writeConfig(dir, port, controllerPort);
            Path log = dir.resolve("kafka.log");
            if (!Files.exists(dir.resolve("data/meta.properties"))) {
                Proc format = Proc.start("kafka-format", java(classpath, jvmOptions, List.of("kafka.tools.StorageTool", "format",
                        "-t", Uuid.randomUuid().toString(), "-c", config.toString())), dir, log);
                if (!format.waitFor(Duration.ofSeconds(90)) || format.exitValue() != 0) {
                    format.close();
                    throw new IllegalStateException("formatting Kafka storage failed:\n" + format.tail(20));
                }
                format.close();
            }
            Proc proc = Proc.start("kafka", java(classpath, jvmOptions, List.of("kafka.Kafka", config.toString())), dir, log);
            String bootstrap = "127.0.0.1:" + port;
            boolean up;
            try (Admin admin = admin(bootstrap)) {
                up = Await.until(Duration.ofSeconds(90), Duration.ofMillis(100), () -> !proc.isAlive() || hasBroker(admin));
            }
            if (!up || !proc.isAlive()) {
                proc.close();
                throw new IllegalStateException("Kafka did not start on " + bootstrap + ":\n" + proc.tail(30));
            }
            return proc;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka in " + dir, e);
        }
    }

    public static void createTopics(String bootstrap, List<String> names) {
        try (Admin admin = admin(bootstrap)) {
            List<NewTopic> topics = names.stream().map(n -> new NewTopic(n, PARTITIONS, (short) 1)).toList();
            for (var result : admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + result.getKey(), e.getCause());
                    }
                }
            }
        } catch (Exception e) {
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("cannot create topics " + names, e);
        }
    }

    private static Path writeConfig(Path dir, int port, int controllerPort) throws IOException {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("process.roles", "broker,controller");
        s.put("node.id", "1");
        s.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        s.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        s.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        s.put("controller.listener.names", "CONTROLLER");
        s.put("inter.broker.listener.name", "PLAINTEXT");
        s.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        s.put("log.dirs", dir.resolve("data").toString());
        s.put("num.partitions", String.valueOf(PARTITIONS));
        s.put("default.replication.factor", "1");
        s.put("auto.create.topics.enable", "true");
        s.put("offsets.topic.replication.factor", "1");
        s.put("offsets.topic.num.partitions", "4");
        s.put("transaction.state.log.replication.factor", "1");
        s.put("transaction.state.log.min.isr", "1");
        s.put("transaction.state.log.num.partitions", "4");
        s.put("share.coordinator.state.topic.replication.factor", "1");
        s.put("share.coordinator.state.topic.min.isr", "1");
        s.put("group.initial.rebalance.delay.ms", "0");
        // Two cores shared by everything: few threads, as in the testkit's broker.
        s.put("num.network.threads", "2");
        s.put("num.io.threads", "2");
        s.put("num.recovery.threads.per.data.dir", "1");
        String text = s.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "# Written by io.tether.bench.stack.Kafka\n", "\n"));
        Path config = dir.resolve("server.properties");
        Files.writeString(config, text, StandardCharsets.UTF_8);
        return config;
    }

    private static List<String> java(String classpath, List<String> jvmOptions, List<String> mainAndArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Djava.awt.headless=true");
        command.add("-Dlog4j2.configurationFile=" + TetherRoot.path().resolve("local-kafka/target/classes/log4j2.properties"));
        command.add("-cp");
        command.add(classpath);
        command.addAll(mainAndArgs);
        return command;
    }

    private static boolean hasBroker(Admin admin) {
        try {
            return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }
}
