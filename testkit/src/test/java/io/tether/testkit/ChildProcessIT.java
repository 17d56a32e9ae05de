package io.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessIT {
    @TempDir
    Path dir;

    @Test
    void runsACommandWithItsOutputInTheLogAndStopsItOnClose() throws Exception {
        Path log = dir.resolve("logs/child.log");
        ChildProcess child = ChildProcess.start("child", List.of("/bin/sh", "-c", "echo started; exec sleep 600"), dir, log);
        try {
            assertTrue(Poll.until(Duration.ofSeconds(10), Duration.ofMillis(20),
                    () -> Files.exists(log) && child.tail(5).contains("started")), () -> "log: " + child.tail(5));
            assertTrue(child.isAlive());
            assertTrue(Children.isRunning(child.pid()));
        } finally {
            child.close();
        }
        assertFalse(child.isAlive());
        assertFalse(Children.isRunning(child.pid()));
    }
}
