package io.tether.runtime.quarkus;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.quarkus.runtime.Startup;
import io.tether.runtime.failure.Backoff;
import io.tether.runtime.redis.EvictionPolicy;
import io.tether.runtime.redis.InitialConnect;
import io.tether.runtime.redis.RedisConnections;
import io.tether.runtime.redis.RedisShutdown;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * The one Lettuce client and shared connection of a service. A single multiplexed connection serves every caller
 * (Lettuce pipelines what is issued back to back); atomic updates are Lua scripts, never MULTI.
 */
@ApplicationScoped
public class RedisProducers {
    private static final Logger LOG = Logger.getLogger(RedisProducers.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
    /** Start-up's first retry, within 50 to 100 ms: a Redis restarting is often back at once. */
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);

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

    /**
     * Connected at start-up, never lazily on an event loop (waiting for the connection blocks); while Redis is away,
     * tried again for up to {@code tether.redis.startup-wait} ({@link InitialConnect}).
     */
    @Produces
    @Singleton
    @Startup
    StatefulRedisConnection<String, String> connection(RedisClient client, RedisSettings settings) {
        RedisURI uri = RedisURI.create(settings.uri());
        Duration retryCeiling = settings.maxReconnectDelay().compareTo(FIRST_RETRY) > 0 ? settings.maxReconnectDelay() : FIRST_RETRY;
        StatefulRedisConnection<String, String> connection = InitialConnect.await(() -> client.connectAsync(StringCodec.UTF8, uri),
                settings.startupWait(), new Backoff(FIRST_RETRY, retryCeiling, () -> ThreadLocalRandom.current().nextDouble()),
                StatefulRedisConnection::closeAsync);
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
