package io.tether.inbox;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.tether.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A real redis-server of a test class's own, with a Lettuce connection to it (async for the code under test, sync to look). */
final class TestRedis implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(5);

    private final RedisServer server;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private TestRedis(Path dir) {
        server = RedisServer.start(dir, false);
        client = RedisClient.create(server.uri());
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(WAIT))
                .build());
        connection = client.connect();
    }

    static TestRedis start(Path dir) {
        return new TestRedis(dir);
    }

    /** For connections of their own (a gateway's pub/sub subscription). */
    RedisClient client() {
        return client;
    }

    RedisAsyncCommands<String, String> async() {
        return connection.async();
    }

    RedisCommands<String, String> sync() {
        return connection.sync();
    }

    void flush() {
        sync().flushall();
    }

    /** The result of a stage, failing the test when it takes longer than a few seconds. */
    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("Redis call did not complete: " + e, e);
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
        server.close();
    }
}
