package io.tether.gateway.app;

import io.tether.gateway.store.GatewayStore;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Keeps this instance's heartbeat alive in Redis; a killed instance's heartbeat lapses after its TTL. When a beat
 * finds the heartbeat already gone (Redis restarted or lost data, or this process was frozen past the TTL), fanout
 * may have taken the instance for dead: {@code lapsed} runs so the connections held here are stated again.
 */
final class GatewayHeartbeat {
    private static final Logger LOG = Logger.getLogger(GatewayHeartbeat.class);

    private final Vertx vertx;
    private final GatewayStore store;
    private final String gatewayId;
    private final Duration ttl;
    private final Runnable lapsed;
    private long timer = -1;

    GatewayHeartbeat(Vertx vertx, GatewayStore store, String gatewayId, Duration ttl, Runnable lapsed) {
        this.vertx = vertx;
        this.store = store;
        this.gatewayId = gatewayId;
        this.ttl = ttl;
        this.lapsed = lapsed;
    }

    /** Beats once (the returned stage completes when Redis has it), then every third of the TTL. */
    CompletionStage<Boolean> start() {
        timer = vertx.setPeriodic(Math.max(100, ttl.toMillis() / 3), id -> beat());
        return store.heartbeat(gatewayId, ttl);
    }

    private void beat() {
        store.heartbeat(gatewayId, ttl).whenComplete((hadLapsed, error) -> {
            if (error != null) {
                LOG.warnf("heartbeat of %s failed: %s", gatewayId, error.getMessage());
            } else if (hadLapsed) {
                LOG.warnf("heartbeat of %s had lapsed; stating its connections again", gatewayId);
                lapsed.run();
            }
        });
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
