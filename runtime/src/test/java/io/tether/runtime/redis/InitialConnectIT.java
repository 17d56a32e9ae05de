package io.tether.runtime.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.tether.runtime.failure.Backoff;
import io.tether.testkit.Ports;
import io.tether.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service's first connection to a real redis-server that is not there yet when the service starts. */
class InitialConnectIT {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final int port = Ports.free();
    private final ClientResources resources = RedisConnections.resources(Duration.ofMillis(200));
    private final RedisClient client = RedisConnections.client("redis://127.0.0.1:" + port, COMMAND_TIMEOUT, resources);
    private final AtomicInteger attempts = new AtomicInteger();
    private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), () -> 0.5);
    private RedisServer redis;

    @AfterEach
    void stop() {
        RedisShutdown.stop(client, resources, Duration.ofSeconds(2));
        if (redis != null) {
            redis.close();
        }
    }

    private Supplier<CompletionStage<StatefulRedisConnection<String, String>>> connect() {
        return connect(RedisURI.create("redis://127.0.0.1:" + port));
    }

    private Supplier<CompletionStage<StatefulRedisConnection<String, String>>> connect(RedisURI uri) {
        return () -> {
            attempts.incrementAndGet();
            return client.connectAsync(StringCodec.UTF8, uri);
        };
    }

    @Test
    void aRedisThatStartsOnlyAfterTheFirstAttemptsFailedIsConnectedTo() throws Exception {
        CompletableFuture<StatefulRedisConnection<String, String>> started = CompletableFuture.supplyAsync(
                () -> InitialConnect.await(connect(), Duration.ofSeconds(30), backoff, StatefulRedisConnection::closeAsync));
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 3);
        assertFalse(started.isDone(), "still waiting for Redis, not failed");

        redis = RedisServer.start(dir, port, false);

        StatefulRedisConnection<String, String> connection = started.get(20, TimeUnit.SECONDS);
        assertEquals("PONG", connection.sync().ping());
    }

    @Test
    void aRedisThatNeverComesFailsStartUpAfterTheWaitNamingTheSettingAndTheCause() {
        long begin = System.nanoTime();

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> InitialConnect.await(connect(), Duration.ofSeconds(1), backoff, StatefulRedisConnection::closeAsync));

        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertTrue(tookMillis >= 1_000 && tookMillis < 10_000, "gave up after the wait, took " + tookMillis + " ms");
        assertTrue(attempts.get() >= 3, "tried again meanwhile: " + attempts.get() + " attempts");
        assertTrue(failure.getMessage().startsWith("Redis did not answer within 1 s of start-up (tether.redis.startup-wait); "
                + "last failure: RedisConnectionException"), failure.getMessage());
    }

    @Test
    void aRedisThatRefusesTheCredentialsFailsStartUpAtTheFirstAttemptNamingTheRefusal() {
        redis = RedisServer.start(dir, port, false);
        try (StatefulRedisConnection<String, String> admin = client.connect()) {
            admin.sync().configSet("requirepass", "the-right-one");
        }
        RedisURI wrongPassword = RedisURI.builder().withHost("127.0.0.1").withPort(port).withPassword("a-wrong-one".toCharArray())
                .build();
        RedisURI noPassword = RedisURI.create("redis://127.0.0.1:" + port);

        for (RedisURI uri : new RedisURI[] {wrongPassword, noPassword}) {
            attempts.set(0);
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> InitialConnect.await(connect(uri), Duration.ofSeconds(30), backoff, StatefulRedisConnection::closeAsync));

            assertEquals(1, attempts.get(), "not tried again: " + failure.getMessage());
            assertTrue(failure.getMessage().startsWith("cannot connect to Redis: it refused the credentials of tether.redis.uri ("
                    + (uri == wrongPassword ? "WRONGPASS" : "NOAUTH")), failure.getMessage());
            assertFalse(failure.getMessage().contains("a-wrong-one"), "names no secret: " + failure.getMessage());
        }
    }
}
