package io.tether.runtime.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Stops a service's Redis client, then the client resources it runs on, each waited for at most {@code timeout}: a
 * service's stop must never wait for ever on Redis. Lettuce's blocking {@code shutdown()} waits without a bound, and a
 * test JVM was seen hung in it for good while Quarkus stopped (the client's shutdown future never completed); the
 * resources go last because a client shut down after its event loops may never finish.
 */
public final class RedisShutdown {
    private static final Logger LOG = Logger.getLogger(RedisShutdown.class);

    private RedisShutdown() {
    }

    public static void stop(RedisClient client, ClientResources resources, Duration timeout) {
        await(client.shutdownAsync(0, timeout.toMillis(), TimeUnit.MILLISECONDS), timeout, "Redis client");
        await(resources.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS), timeout, "Redis client resources");
    }

    /** Closes one connection, waited for at most {@code timeout}; the client's stop closes it anyway if this does not. */
    public static void close(StatefulConnection<?, ?> connection, Duration timeout) {
        await(connection.closeAsync(), timeout, "Redis connection");
    }

    private static void await(Future<?> stopped, Duration timeout, String what) {
        try {
            // Lettuce's own timeout covers the event loops' termination; this one covers everything else.
            stopped.get(2 * timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("%s did not stop within %d ms; going on without it", what, 2 * timeout.toMillis());
        } catch (ExecutionException e) {
            LOG.warnf(e.getCause(), "%s failed to stop cleanly", what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
