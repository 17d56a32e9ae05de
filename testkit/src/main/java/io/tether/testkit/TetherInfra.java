package io.tether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The Redis and Kafka that all tests of one JVM share: started on first use, stopped at JVM exit
 * (through {@link Shutdown}), so every test class of a module pays for one boot.
 */
public final class TetherInfra {
    private static TetherInfra shared;

    private final Path dir;
    private final RedisServer redis;
    private final KafkaBroker kafka;

    private TetherInfra(Path dir, RedisServer redis, KafkaBroker kafka) {
        this.dir = dir;
        this.redis = redis;
        this.kafka = kafka;
    }

    /** The JVM's Redis (append-only on) and Kafka, started on the first call; files under target/ when there is one. */
    public static synchronized TetherInfra shared() {
        if (shared == null) {
            Path dir = newDir();
            // Registered first, so it runs last: after both are stopped, drop their data but keep the logs.
            Shutdown.register(() -> deleteTree(dir.resolve("kafka/data")));
            RedisServer redis = RedisServer.start(dir.resolve("redis"), true);
            KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
            shared = new TetherInfra(dir, redis, kafka);
        }
        return shared;
    }

    public RedisServer redis() {
        return redis;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    /** Where Redis and Kafka keep their files and logs (redis/redis.log, kafka/kafka.log). */
    public Path dir() {
        return dir;
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static Path newDir() {
        Path target = Path.of(System.getProperty("user.dir"), "target");
        try {
            return Files.isDirectory(target)
                    ? Files.createTempDirectory(target, "tether-infra-")
                    : Files.createTempDirectory("tether-infra-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the test infrastructure", e);
        }
    }
}
