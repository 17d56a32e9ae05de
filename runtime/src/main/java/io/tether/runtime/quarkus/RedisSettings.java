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
     * How long a service that starts while Redis is away keeps trying to connect (attempts back off to at most
     * {@link #maxReconnectDelay}) before its start-up fails. Default 45 s: the HTTP port, and with it every probe, opens
     * only once start-up is done, and the Helm chart's startupProbe gives a pod 120 s (2 s × 60) for all of it; 45 s
     * leaves the rest to the JVM's start and the Kafka warm-up that follows (up to 60 s), so the service gives up with a
     * message saying why instead of being killed by the kubelet mid-wait. Raise it only with the probe's budget.
     */
    @WithDefault("45s")
    Duration startupWait();

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
