package io.tether.rest.it;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The Redis connection a service would have; with it, rest-common also accepts stored API keys. */
public class TestRedis {

    @Produces
    @Singleton
    RedisClient client(@ConfigProperty(name = "tether.redis.uri") String uri) {
        return RedisClient.create(uri);
    }

    @Produces
    @Singleton
    StatefulRedisConnection<String, String> connection(RedisClient client) {
        return client.connect();
    }

    void close(@Disposes StatefulRedisConnection<String, String> connection) {
        connection.close();
    }

    void shutdown(@Disposes RedisClient client) {
        client.shutdown();
    }
}
