package io.tether.registry.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tether.testkit.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Redis of the test's own, with append-only persistence as production must run it, and nothing else
 * (no Kafka). The test gets the server in a field marked {@link Server} to stop and start it.
 */
public class AofRedisResource implements QuarkusTestResourceLifecycleManager {
    private RedisServer server;

    /** Marks a {@link RedisServer} field of the test that receives the server. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Server {
    }

    @Override
    public Map<String, String> start() {
        try {
            Path target = Path.of(System.getProperty("user.dir"), "target");
            Files.createDirectories(target);
            server = RedisServer.start(Files.createTempDirectory(target, "registry-aof-redis-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("tether.redis.uri", server.uri());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(Server.class, RedisServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
