package io.tether.bench.stack;

import io.tether.testkit.TetherRoot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A Tether service from its packaged jar, with the benchmark's JVM options and config as system properties. */
public final class Service {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private Service() {
    }

    public static Proc start(String module, int httpPort, Map<String, String> config, List<String> jvmOptions, Path logs) {
        Path jar = TetherRoot.path().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no jar for " + module + " at " + jar + ": build first (bench/run does)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.port=" + httpPort);
        command.add("-Dquarkus.http.host=127.0.0.1");
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        Proc proc = Proc.start(module, command, jar.getParent(), logs.resolve(module + ".log"));
        boolean ready = Await.until(Duration.ofSeconds(90), Duration.ofMillis(200), () -> !proc.isAlive() || ready(httpPort));
        if (!ready || !proc.isAlive()) {
            proc.close();
            throw new IllegalStateException(module + " did not get ready on port " + httpPort + "; " + proc.log()
                    + " ends with:\n" + proc.tail(40));
        }
        return proc;
    }

    private static boolean ready(int port) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
