package io.tether.rest.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tether.testkit.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A real Redis of rest-common's tests, where they store API keys the way the registry does. */
public class RedisResource implements QuarkusTestResourceLifecycleManager {
    private RedisServer server;

    @Override
    public Map<String, String> start() {
        try {
            Path target = Path.of(System.getProperty("user.dir"), "target");
            Files.createDirectories(target);
            server = RedisServer.start(Files.createTempDirectory(target, "rest-common-redis-"), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("tether.redis.uri", server.uri());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
