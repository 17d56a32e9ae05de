package io.tether.runtime.quarkus;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.quarkus.runtime.Startup;
import io.tether.runtime.redis.EvictionPolicy;
import io.tether.runtime.redis.RedisConnections;
import io.tether.runtime.redis.RedisShutdown;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The one Lettuce client and shared connection of a service. A single multiplexed connection serves every caller
 * (Lettuce pipelines what is issued back to back); atomic updates are Lua scripts, never MULTI.
 */
@ApplicationScoped
public class RedisProducers {
    private static final Logger LOG = Logger.getLogger(RedisProducers.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

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
        StatefulRedisConnection<String, String> connection = client.connect();
        warnIfRedisMayEvict(connection);
        return connection;
    }

    /** Once per service start: a Redis that may evict keys can lose accepted messages (see {@link EvictionPolicy}). */
    private static void warnIfRedisMayEvict(StatefulRedisConnection<String, String> connection) {
        try {
            EvictionPolicy.warning(connection.sync().info("memory")).ifPresent(LOG::warn);
        } catch (RuntimeException e) {
            LOG.debugf("INFO memory not readable (%s); eviction policy not checked", e.toString());
        }
    }

    /** Bounded: the client's stop below closes it too, whichever ArC runs first. */
    void close(@Disposes StatefulRedisConnection<String, String> connection) {
        RedisShutdown.close(connection, STOP_TIMEOUT);
    }

    /** The client, then its resources: they have no disposer of their own, as ArC destroys beans in no set order. */
    void shutdown(@Disposes RedisClient client) {
        RedisShutdown.stop(client, client.getResources(), STOP_TIMEOUT);
    }
}
