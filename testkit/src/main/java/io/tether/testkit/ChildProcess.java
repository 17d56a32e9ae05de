package io.tether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Any named child process (a broker the testkit has no launcher for, a helper JVM) with its output appended to a log
 * file. Like the testkit's own launchers it runs in a session of its own, is recorded for the orphan reaper, and is
 * stopped at JVM exit at the latest.
 */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final Path log;
    private final Process process;

    private ChildProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code command} in {@code dir}; stdout and stderr are appended to {@code log}. */
    public static ChildProcess start(String name, List<String> command, Path dir, Path log) {
        try {
            Files.createDirectories(dir);
            Files.createDirectories(log.toAbsolutePath().getParent());
            Files.writeString(log, "=== " + Instant.now() + " " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process process = Children.start(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
            ChildProcess child = new ChildProcess(name, log, process);
            Shutdown.register(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last {@code lines} lines of its log, for error messages. */
    public String tail(int lines) {
        return Logs.tail(log, lines);
    }

    /** Waits up to {@code timeout} for it to exit; true when it did. */
    public boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** SIGKILL, like a crash. */
    public void kill() {
        Children.kill(process);
    }

    /** SIGTERM, up to 20 s, then SIGKILL. */
    @Override
    public void close() {
        Children.stop(process, Duration.ofSeconds(20));
        Shutdown.unregister(this);
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
