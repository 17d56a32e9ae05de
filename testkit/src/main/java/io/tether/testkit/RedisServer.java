package io.tether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real redis-server as a child process on 127.0.0.1. With append-only on, what was written survives
 * {@link #stop()} and {@link #restart()} in {@code dir}.
 */
public final class RedisServer implements AutoCloseable, Faultable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final int port;
    private final boolean appendOnly;
    private final String appendFsync;
    private Process process;

    private RedisServer(Path dir, int port, boolean appendOnly, String appendFsync) {
        this.dir = dir.toAbsolutePath();
        this.port = port;
        this.appendOnly = appendOnly;
        this.appendFsync = appendFsync;
    }

    /** Starts Redis on a free port, keeping its files (and AOF, if on) in {@code dir}. */
    public static RedisServer start(Path dir, boolean appendOnly) {
        return start(dir, Ports.free(), appendOnly);
    }

    public static RedisServer start(Path dir, int port, boolean appendOnly) {
        // One node, no replica: only an fsync before each reply makes an acknowledged write survive a crash of the
        // machine as well as of the process (see the README's durability contract).
        return start(dir, port, appendOnly, appendOnly ? "always" : "no");
    }

    /**
     * Starts Redis append-only with the fsync policy {@code appendFsync} ({@code always}, {@code everysec}): what a
     * benchmark compares; {@code everysec} is the setting for a Redis with a replica.
     */
    public static RedisServer startAppendOnly(Path dir, String appendFsync) {
        return start(dir, Ports.free(), true, appendFsync);
    }

    private static RedisServer start(Path dir, int port, boolean appendOnly, String appendFsync) {
        RedisServer server = new RedisServer(dir, port, appendOnly, appendFsync);
        server.launch();
        Shutdown.register(server);
        return server;
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public Path dir() {
        return dir;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Stops Redis (SIGTERM: Redis flushes the AOF and exits) and waits until it is gone. */
    public synchronized void stop() {
        if (process != null) {
            Children.stop(process, Duration.ofSeconds(10));
            process = null;
        }
    }

    @Override
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("redis-server is not running");
        }
        return process.pid();
    }

    /** SIGKILL: Redis loses what it had not yet written to its AOF (up to a second with appendfsync everysec). */
    @Override
    public synchronized void kill() {
        if (process != null) {
            Children.kill(process);
            process = null;
        }
    }

    /** Stops (if still running) and starts again on the same port and dir: the restart of a real server, data included. */
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
        return "redis-server on " + port;
    }

    private synchronized void launch() {
        Path binary = binary();
        Path log = dir.resolve("redis.log");
        long logStart = Logs.size(log);
        try {
            Files.createDirectories(dir);
            process = Children.start(new ProcessBuilder(List.of(binary.toString(),
                    "--port", String.valueOf(port),
                    "--bind", "127.0.0.1",
                    "--dir", dir.toString(),
                    "--appendonly", appendOnly ? "yes" : "no",
                    "--appendfsync", appendFsync,
                    "--save", "",
                    "--daemonize", "no"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        boolean up = Poll.until(START_TIMEOUT, Duration.ofMillis(20), () -> !process.isAlive() || pong());
        if (!up || !process.isAlive()) {
            String why = process.isAlive() ? "no PONG within " + START_TIMEOUT.toSeconds() + " s" : "it exited";
            Children.kill(process);
            process = null;
            throw new IllegalStateException("redis-server on port " + port + " did not start (" + why + "); "
                    + log + " ends with:\n" + Logs.tail(log, logStart, 20));
        }
    }

    private boolean pong() {
        try {
            return "PONG".equals(Resp.call(port, "PING"));
        } catch (IOException e) {
            return false; // not listening yet, or still loading the AOF
        }
    }

    private static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "redis-server"))) {
                return Path.of(dir, "redis-server");
            }
        }
        Path fallback = Path.of("/usr/bin/redis-server");
        if (Files.isExecutable(fallback)) {
            return fallback;
        }
        throw new IllegalStateException("redis-server not found on PATH: run bin/test (it installs what the tests need)"
                + " or apt-get install -y redis-server");
    }
}
