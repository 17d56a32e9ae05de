package io.tether.registry.app;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The one Lettuce client and connection of the service. A single multiplexed connection serves all
 * requests; that is why atomic updates use Lua scripts rather than MULTI.
 */
public class RedisProducer {

    @Produces
    @Singleton
    RedisClient redisClient(RedisConfig config) {
        RedisClient client = RedisClient.create(config.uri());
        client.setOptions(ClientOptions.builder()
                // While disconnected, fail commands at once (503) instead of queueing requests until Redis returns.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .build());
        return client;
    }

    /** Connected at startup, never lazily on an event-loop thread: connect() blocks. */
    @Produces
    @Singleton
    @Startup
    StatefulRedisConnection<String, String> redisConnection(RedisClient client) {
        return client.connect();
    }

    void closeConnection(@Disposes StatefulRedisConnection<String, String> connection) {
        connection.close();
    }

    void shutdownClient(@Disposes RedisClient client) {
        client.shutdown();
    }
}
