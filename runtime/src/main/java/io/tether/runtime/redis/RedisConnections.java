package io.tether.runtime.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;

/**
 * Tether's one policy for a Redis outage, in every service: a command waits at most {@code commandTimeout} for its
 * answer, including time spent queued while Lettuce reconnects, then fails (a quick 503, a refused CONNECT, a record
 * retried later) instead of hanging for Lettuce's default minute. So a blip shorter than the timeout goes unnoticed
 * and a longer outage fails fast. At most {@link #QUEUE_LIMIT} commands wait; beyond that they fail at once.
 * Reconnect attempts back off to at most {@code maxReconnectDelay}, so service resumes within about that long after
 * Redis is back (Lettuce's own default grows to 30 s).
 */
public final class RedisConnections {
    /** Commands that may wait for a reconnect at once, per connection. */
    public static final int QUEUE_LIMIT = 50_000;

    private RedisConnections() {
    }

    /**
     * Lettuce records every command's latency (a map lookup and two histogram updates per command) whenever
     * LatencyUtils is on the classpath, as Micrometer puts it; nothing reads those figures, so the recorder is off.
     */
    public static ClientResources resources(Duration maxReconnectDelay) {
        return DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), maxReconnectDelay, 2, java.util.concurrent.TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .build();
    }

    public static RedisClient client(String uri, Duration commandTimeout, ClientResources resources) {
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .requestQueueSize(QUEUE_LIMIT)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).keepAlive(true).build())
                .build());
        return client;
    }
}
