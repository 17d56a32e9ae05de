package io.tether.bench.stack;

import io.tether.testkit.Logs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the benchmark (a Tether service, Kafka, Redis, mosquitto) with its output in a log file.
 * The benchmark starts its own processes rather than the testkit's launchers because it needs their pids (CPU
 * and memory from /proc) and production JVM options (full JIT, a heap that fits 100k connections).
 */
public final class Proc implements AutoCloseable {
    private final String name;
    private final Path log;
    private final Process process;

    private Proc(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code command} in {@code dir}, output appended to {@code log}; stopped by {@link #close()}. */
    public static Proc start(String name, List<String> command, Path dir, Path log) {
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(dir);
            Files.writeString(log, "=== " + Instant.now() + " " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<String> full = new ArrayList<>(command);
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                full.add(0, "/usr/bin/setsid"); // Ctrl-C reaches the benchmark only; it stops its children in order
            }
            Process process = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            Proc proc = new Proc(name, log, process);
            Pids.record(proc);
            return proc;
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

    /** The end of the log, for error messages. */
    public String tail(int lines) {
        return Logs.tail(log, lines);
    }

    /** Waits for exit, up to {@code timeout}; true when it exited. */
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

    /** SIGTERM, up to 20 s, then SIGKILL. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!waitFor(Duration.ofSeconds(20))) {
                process.destroyForcibly();
                waitFor(Duration.ofSeconds(10));
            }
        }
        Pids.forget(this);
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
