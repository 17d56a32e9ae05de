package io.tether.runtime.quarkus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The Redis every service uses (presence, inbox, statuses, the registry's records). */
@ConfigMapping(prefix = "tether.redis")
public interface RedisSettings {

    /** Lettuce URI ({@code TETHER_REDIS_URI}); may carry a password, so it is never logged. Default: the local runner's Redis. */
    @WithDefault("redis://127.0.0.1:16379")
    String uri();

    /** How long a command may take before it fails (503, refused CONNECT, retried record). Default 2 s. */
    @WithDefault("2s")
    Duration commandTimeout();

    /** Longest wait between reconnect attempts while Redis is away. Default 1 s. */
    @WithDefault("1s")
    Duration maxReconnectDelay();

    /**
     * Replicas that must have a consumer's Redis writes before it commits the Kafka offsets of the records behind them
     * (Redis {@code WAIT}). 0 (the default) for one Redis node with {@code appendfsync always}; 1 with a replica and
     * {@code appendfsync everysec}, so that a failover loses nothing a commit covered. See the README's durability contract.
     */
    @WithDefault("0")
    int waitReplicas();

    /** How long a commit waits for those replicas; when they do not confirm in time the commit waits for the next round. */
    @WithDefault("1s")
    Duration waitTimeout();
}
