package io.tether.testkit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A redis-server and a Lettuce client of one test class's own, up before its first test and gone after its last:
 * {@code @RegisterExtension static final RedisFixture REDIS = new RedisFixture();}. The start and stop code lives here
 * once instead of in a copy per test class.
 */
public final class RedisFixture implements BeforeAllCallback, AfterAllCallback {
    private final Function<String, RedisClient> clients;
    private Path dir;
    /** A directory under the module's target/ stays, with the server's log, for a failure to be read. */
    private boolean deleteDir;
    private RedisServer server;
    private RedisClient client;

    public RedisFixture() {
        this(RedisClient::create);
    }

    /**
     * With the client {@code clients} makes for the server's URI (a service's own client and its outage policy); the
     * fixture shuts down that client and the client resources it was made with, which are the fixture's alone.
     */
    public RedisFixture(Function<String, RedisClient> clients) {
        this.clients = clients;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path target = Path.of(System.getProperty("user.dir"), "target");
        deleteDir = !Files.isDirectory(target);
        dir = deleteDir ? Files.createTempDirectory("redis-") : Files.createTempDirectory(target, "redis-");
        server = RedisServer.start(dir, false);
        client = clients.apply(server.uri());
    }

    /** Shuts the client and its resources down (closing every connection it made) and stops the server. */
    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (client != null) {
                ClientResources resources = client.getResources();
                client.shutdown();
                // A client made with resources of its own has shut them down; resources handed to it have not.
                if (!resources.eventExecutorGroup().isShuttingDown()) {
                    resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (dir != null && deleteDir) {
                try (var paths = Files.walk(dir)) {
                    for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                        Files.deleteIfExists(path);
                    }
                }
            }
            client = null;
            server = null;
            dir = null;
        }
    }

    /** The server, to stop, restart or pause. */
    public RedisServer server() {
        return started(server);
    }

    /** The client, for connections of other kinds (pub/sub). */
    public RedisClient client() {
        return started(client);
    }

    public String uri() {
        return server().uri();
    }

    /** A new connection; the client's shutdown after the last test closes it. */
    public StatefulRedisConnection<String, String> connect() {
        return client().connect();
    }

    private static <T> T started(T value) {
        if (value == null) {
            throw new IllegalStateException("Redis is not running: register RedisFixture in a static field with @RegisterExtension");
        }
        return value;
    }
}
