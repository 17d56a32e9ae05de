package io.tether.registry.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test's own view of the registry's Redis: to check what was stored and what was published. */
public final class TestRedis implements AutoCloseable {
    private final RedisClient client;
    private final RedisCommands<String, String> commands;

    public TestRedis(String uri) {
        this.client = RedisClient.create(uri);
        this.commands = client.connect().sync();
    }

    public RedisCommands<String, String> sync() {
        return commands;
    }

    /** Collects what is published on {@code channel} from now on. */
    public List<String> subscribe(String channel) {
        List<String> messages = new CopyOnWriteArrayList<>();
        StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                if (from.equals(channel)) {
                    messages.add(message);
                }
            }
        });
        pubSub.sync().subscribe(channel);
        return messages;
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
