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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real S3-API server, S3Proxy over its filesystem blob store, in a JVM of its own on 127.0.0.1 (run from the
 * classpath the local-s3 module writes), with AWS signature checks on. Objects are files under {@code dir/data}, so
 * they survive a restart. What the tests and the local runner use instead of a cloud bucket.
 */
public final class S3Server implements AutoCloseable {
    /** Local-only credentials of the server (not a secret: it listens on 127.0.0.1 for tests and local runs). */
    public static final String ACCESS_KEY_ID = "tether-local";
    public static final String SECRET_ACCESS_KEY = "tether-local-secret";
    public static final String REGION = "us-east-1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Path dir;
    private final int port;
    private Process process;

    private S3Server(Path dir, int port) {
        this.dir = dir.toAbsolutePath();
        this.port = port;
    }

    public static S3Server start(Path dir) {
        return start(dir, Ports.free());
    }

    public static S3Server start(Path dir, int port) {
        S3Server server = new S3Server(dir, port);
        server.launch();
        Shutdown.register(server);
        return server;
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public Path dir() {
        return dir;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * The settings a service needs to use this server for attachment bodies ({@code tether.attachments.s3.*}), with a
     * bucket of its own that the service creates at start.
     */
    public Map<String, String> serviceConfig(String bucket) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("tether.attachments.s3.endpoint", endpoint());
        config.put("tether.attachments.s3.region", REGION);
        config.put("tether.attachments.s3.bucket", bucket);
        config.put("tether.attachments.s3.access-key-id", ACCESS_KEY_ID);
        config.put("tether.attachments.s3.secret-access-key", SECRET_ACCESS_KEY);
        config.put("tether.attachments.s3.create-bucket", "true");
        return config;
    }

    public synchronized void stop() {
        if (process != null) {
            Children.stop(process, Duration.ofSeconds(10));
            process = null;
        }
    }

    @Override
    public synchronized void close() {
        stop();
        Shutdown.unregister(this);
    }

    @Override
    public String toString() {
        return "s3proxy on " + endpoint();
    }

    private synchronized void launch() {
        Path root = TetherRoot.path();
        Path classpathFile = root.resolve("local-s3/target/classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException("no S3 server classpath at " + classpathFile + ": build first: ./mvnw -DskipTests install");
        }
        Path log = dir.resolve("s3proxy.log");
        long logStart = Logs.size(log);
        try {
            Files.createDirectories(dir.resolve("data"));
            Path properties = writeProperties();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dlogback.configurationFile=" + root.resolve("local-s3/target/classes/logback.xml"),
                    "-cp", Files.readString(classpathFile, StandardCharsets.UTF_8).trim(),
                    "org.gaul.s3proxy.Main", "--properties", properties.toString()));
            process = Children.start(new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the S3 server in " + dir, e);
        }
        boolean up = Poll.until(START_TIMEOUT, Duration.ofMillis(100), () -> !process.isAlive() || answers());
        if (!up || !process.isAlive()) {
            String why = process.isAlive() ? "not answering within " + START_TIMEOUT.toSeconds() + " s" : "it exited";
            Children.kill(process);
            process = null;
            throw new IllegalStateException("S3 server on " + endpoint() + " did not start (" + why + "); " + log
                    + " ends with:\n" + Logs.tail(log, logStart, 40));
        }
    }

    private Path writeProperties() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("s3proxy.endpoint", endpoint());
        settings.put("s3proxy.authorization", "aws-v2-or-v4");
        settings.put("s3proxy.identity", ACCESS_KEY_ID);
        settings.put("s3proxy.credential", SECRET_ACCESS_KEY);
        settings.put("jclouds.provider", "filesystem");
        settings.put("jclouds.filesystem.basedir", dir.resolve("data").toString());
        String text = settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "# Written by io.tether.testkit.S3Server\n", "\n"));
        Path file = dir.resolve("s3proxy.properties");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** Any HTTP answer (an anonymous request is refused) means it listens. */
    private boolean answers() {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create(endpoint() + "/")).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
