package io.tether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Tether service run from its packaged jar ({@code <module>/target/quarkus-app/quarkus-run.jar}) as a
 * process of its own, as in production: tests can stop it, kill it (-9) and start it again.
 */
public final class ServiceProcess implements AutoCloseable, Faultable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** A small heap and the C1 compiler only: a test starts several services on few cores and never runs them hot. */
    public static final List<String> TEST_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final String module;
    private final int httpPort;
    private final Map<String, String> config;
    private final Path logFile;
    private final List<String> jvmOptions;
    private final Path root;
    private Process process;
    private long logStart;

    /** One service to start: its module, HTTP port, config, log, JVM options and the checkout whose jar runs. */
    public record Launch(String module, int httpPort, Map<String, String> config, Path logFile, List<String> jvmOptions,
            Path root) {
        /** With {@link #TEST_JVM} and this checkout's jar. */
        public Launch(String module, int httpPort, Map<String, String> config, Path logFile) {
            this(module, httpPort, config, logFile, TEST_JVM, TetherRoot.path());
        }
    }

    private ServiceProcess(String module, int httpPort, Map<String, String> config, Path logFile, List<String> jvmOptions,
            Path root) {
        this.module = module;
        this.httpPort = httpPort;
        this.config = new LinkedHashMap<>(config);
        this.logFile = logFile.toAbsolutePath();
        this.jvmOptions = List.copyOf(jvmOptions);
        this.root = root;
    }

    /**
     * Starts {@code module} with HTTP on 127.0.0.1:{@code httpPort}, each config entry as a system
     * property, output appended to {@code logFile}; returns once {@code /q/health/ready} answers 200.
     */
    public static ServiceProcess start(String module, int httpPort, Map<String, String> config, Path logFile) {
        return start(module, httpPort, config, logFile, TEST_JVM, TetherRoot.path());
    }

    /**
     * Like {@link #start(String, int, Map, Path)}, with the JVM options instead of {@link #TEST_JVM}, from the jar built
     * in the checkout at {@code root} (a benchmark comparing two builds starts each from its own checkout).
     */
    public static ServiceProcess start(String module, int httpPort, Map<String, String> config, Path logFile,
            List<String> jvmOptions, Path root) {
        return startTogether(List.of(new Launch(module, httpPort, config, logFile, jvmOptions, root))).get(0);
    }

    /**
     * Starts every service at once and returns them, in the given order, once each one is ready. They meet only
     * through Redis and Kafka, as pods do, so none waits for another; starting JVMs side by side overlaps what one
     * start leaves idle. When one does not start, the others are stopped and its failure is thrown.
     */
    public static List<ServiceProcess> startTogether(List<Launch> launches) {
        List<ServiceProcess> services = new ArrayList<>();
        try {
            for (Launch launch : launches) {
                ServiceProcess service = new ServiceProcess(launch.module(), launch.httpPort(), launch.config(),
                        launch.logFile(), launch.jvmOptions(), launch.root());
                services.add(service);
                service.spawn();
                Shutdown.register(service);
            }
            for (ServiceProcess service : services) {
                service.awaitReady();
            }
            return List.copyOf(services);
        } catch (RuntimeException e) {
            services.forEach(ServiceProcess::close);
            throw e;
        }
    }

    @Override
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(module + " is not running");
        }
        return process.pid();
    }

    public int httpPort() {
        return httpPort;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String module() {
        return module;
    }

    public Path logFile() {
        return logFile;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM (Quarkus shuts down gracefully), up to 30 s, then SIGKILL. */
    public synchronized void stop() {
        if (process != null) {
            Children.stop(process, Duration.ofSeconds(30));
            process = null;
        }
    }

    @Override
    public synchronized void kill() {
        if (process != null) {
            Children.kill(process);
            process = null;
        }
    }

    /** Starts it again (after {@link #stop()} or {@link #kill()}) with the same port, config and log. */
    @Override
    public synchronized void restart() {
        stop();
        spawn();
        awaitReady();
    }

    @Override
    public synchronized void close() {
        stop();
        Shutdown.unregister(this);
    }

    /**
     * Stops every service side by side and returns once all have exited: as they start, none waits for another, and
     * each takes a second or two to stop. A failed stop is printed in one line.
     */
    public static void closeTogether(List<ServiceProcess> services) {
        List<Thread> stopping = new ArrayList<>();
        for (ServiceProcess service : services) {
            Thread thread = new Thread(() -> {
                try {
                    service.close();
                } catch (RuntimeException e) {
                    System.err.println("tether: stopping " + service + " failed: " + e);
                }
            }, "tether-stop-" + service.module());
            thread.start();
            stopping.add(thread);
        }
        boolean interrupted = false;
        for (Thread thread : stopping) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the services still stop: wait for them, and say so afterwards
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return module + " on " + baseUrl();
    }

    /** The packaged jar of {@code module}; fails with what to do when it has not been built. */
    public static Path jarOf(String module) {
        return jarOf(TetherRoot.path(), module);
    }

    /** The packaged jar of {@code module} in the checkout at {@code root}. */
    public static Path jarOf(Path root, String module) {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no jar for " + module + " at " + jar
                    + ": build first: ./mvnw -DskipTests install");
        }
        return jar;
    }

    private synchronized void spawn() {
        Path jar = jarOf(root, module);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.port=" + httpPort);
        command.add("-Dquarkus.http.host=127.0.0.1");
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        logStart = Logs.size(logFile); // a failure shows this run's output, not earlier runs'
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "=== " + Instant.now() + " starting " + module + " on port " + httpPort + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = Children.start(new ProcessBuilder(command)
                    .directory(jar.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + module, e);
        }
    }

    private synchronized void awaitReady() {
        boolean ready = Poll.until(READY_TIMEOUT, Duration.ofMillis(50), () -> !process.isAlive() || ready());
        if (!ready || !process.isAlive()) {
            String why = process.isAlive()
                    ? "not ready within " + READY_TIMEOUT.toSeconds() + " s"
                    : "it exited with code " + process.exitValue();
            Children.kill(process);
            process = null;
            throw new IllegalStateException(module + " on port " + httpPort + " did not start (" + why + "); "
                    + logFile + " ends with:\n" + Logs.tail(logFile, logStart, 40));
        }
    }

    private boolean ready() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
