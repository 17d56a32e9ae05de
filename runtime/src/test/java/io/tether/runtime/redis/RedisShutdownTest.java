package io.tether.runtime.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** No Redis server: the client never connects; what is tested is the order and the bound of the stop. */
class RedisShutdownTest {

    /** A client whose shutdown never completes, as the one a stopping test JVM was seen waiting on for good. */
    private static final class StuckClient extends RedisClient {
        final AtomicBoolean resourcesUpWhenAsked = new AtomicBoolean();
        private final ClientResources resources;

        StuckClient(ClientResources resources) {
            super(resources, RedisURI.create("redis://127.0.0.1:1"));
            this.resources = resources;
        }

        @Override
        public CompletableFuture<Void> shutdownAsync(long quietPeriod, long timeout, TimeUnit timeUnit) {
            resourcesUpWhenAsked.set(!resources.eventExecutorGroup().isShuttingDown());
            return new CompletableFuture<>();
        }
    }

    @Test
    void aClientThatNeverFinishesStoppingDoesNotHoldTheStopAndTheResourcesStillStopAfterIt() {
        ClientResources resources = RedisConnections.resources(Duration.ofSeconds(1));
        StuckClient client = new StuckClient(resources);

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> RedisShutdown.stop(client, resources, Duration.ofMillis(100)));

        assertTrue(client.resourcesUpWhenAsked.get(), "the client is stopped while its resources still run");
        assertTrue(resources.eventExecutorGroup().isShuttingDown(), "then the resources are stopped");
    }

    @Test
    void aClientWithoutConnectionsStopsAndSoDoItsResources() {
        ClientResources resources = RedisConnections.resources(Duration.ofSeconds(1));
        RedisClient client = RedisConnections.client("redis://127.0.0.1:1", Duration.ofSeconds(1), resources);

        RedisShutdown.stop(client, resources, Duration.ofSeconds(2));

        assertTrue(resources.eventExecutorGroup().isTerminated(), "the resources' executors have terminated");
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
