package io.tether.runtime.quarkus;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.quarkus.runtime.Startup;
import io.tether.runtime.redis.RedisConnections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * The one Lettuce client and shared connection of a service. A single multiplexed connection serves every caller
 * (Lettuce pipelines what is issued back to back); atomic updates are Lua scripts, never MULTI.
 */
@ApplicationScoped
public class RedisProducers {

    @Produces
    @Singleton
    ClientResources resources(RedisSettings settings) {
        return RedisConnections.resources(settings.maxReconnectDelay());
    }

    @Produces
    @Singleton
    RedisClient client(RedisSettings settings, ClientResources resources) {
        return RedisConnections.client(settings.uri(), settings.commandTimeout(), resources);
    }

    /** Connected at start-up, never lazily on an event loop: connect() blocks. */
    @Produces
    @Singleton
    @Startup
    StatefulRedisConnection<String, String> connection(RedisClient client) {
        return client.connect();
    }

    void close(@Disposes StatefulRedisConnection<String, String> connection) {
        connection.close();
    }

    void shutdown(@Disposes RedisClient client) {
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }

    void shutdown(@Disposes ClientResources resources) {
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
