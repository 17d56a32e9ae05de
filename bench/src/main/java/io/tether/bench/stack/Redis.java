package io.tether.bench.stack;

import io.tether.testkit.Ports;
import io.tether.testkit.Resp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** redis-server on 127.0.0.1 with append-only persistence (fsync every second), as Tether runs it. */
public final class Redis {
    private Redis() {
    }

    public static Proc start(Path dir, int port) {
        Path binary = Path.of("/usr/bin/redis-server");
        if (!Files.isExecutable(binary)) {
            binary = Path.of("redis-server");
        }
        Proc proc = Proc.start("redis", List.of(binary.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--appendonly", "yes", "--save", "", "--daemonize", "no",
                "--maxclients", "10000"), dir, dir.resolve("redis.log"));
        boolean up = Await.until(Duration.ofSeconds(15), Duration.ofMillis(20), () -> !proc.isAlive() || pong(port));
        if (!up || !proc.isAlive()) {
            proc.close();
            throw new IllegalStateException("redis-server did not start on " + port + ":\n" + proc.tail(20));
        }
        return proc;
    }

    public static int freePort() {
        return Ports.free();
    }

    private static boolean pong(int port) {
        try {
            return "PONG".equals(Resp.call(port, "PING"));
        } catch (IOException e) {
            return false;
        }
    }
}
