package io.tether.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, where the testkit finds the broker classpath and the services' jars. */
public final class TetherRoot {
    private TetherRoot() {
    }

    /** System property {@code tether.root} (failsafe sets it) if set, else the nearest parent of user.dir holding local-kafka/pom.xml. */
    public static Path path() {
        String configured = System.getProperty("tether.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("local-kafka/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Tether root not found above " + start
                + " (no local-kafka/pom.xml); set -Dtether.root=<repo root>");
    }
}
