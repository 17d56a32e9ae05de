package io.tether.runtime.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Redis {@code WAIT} before a consumer commits offsets: every write issued on the service's connection so far has
 * reached {@code replicas} replicas. WAIT covers the writes of the connection it runs on, which is the one shared
 * connection every store uses. Off with 0 replicas (one node with {@code appendfsync always}).
 */
public final class ReplicaWait implements BooleanSupplier {
    private static final Logger LOG = Logger.getLogger(ReplicaWait.class);

    private final StatefulRedisConnection<String, String> connection;
    private final int replicas;
    private final Duration timeout;

    public ReplicaWait(StatefulRedisConnection<String, String> connection, int replicas, Duration timeout) {
        this.connection = connection;
        this.replicas = replicas;
        this.timeout = timeout;
    }

    /** Blocks the calling (consumer) thread up to the timeout; true when the replicas confirmed. */
    @Override
    public boolean getAsBoolean() {
        if (replicas <= 0) {
            return true;
        }
        try {
            long acked = connection.async().waitForReplication(replicas, timeout.toMillis())
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            if (acked < replicas) {
                LOG.warnf("only %d of %d Redis replicas confirmed within %d ms; not committing yet", acked, replicas, timeout.toMillis());
            }
            return acked >= replicas;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warnf("Redis WAIT failed, not committing yet: %s", e.toString());
            return false;
        }
    }
}
