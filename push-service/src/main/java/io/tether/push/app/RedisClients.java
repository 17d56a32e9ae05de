package io.tether.push.app;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tether.push.config.RedisConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One Lettuce client and one shared, thread-safe connection for the whole service. */
@ApplicationScoped
class RedisClients {

    @Produces
    @Singleton
    RedisClient client(RedisConfig config) {
        return RedisClient.create(config.uri());
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
