package io.tether.gateway.app;

import io.tether.gateway.store.GatewayStore;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/** Keeps this instance's heartbeat alive in Redis; a killed instance's heartbeat lapses after its TTL. */
final class GatewayHeartbeat {
    private static final Logger LOG = Logger.getLogger(GatewayHeartbeat.class);

    private final Vertx vertx;
    private final GatewayStore store;
    private final String gatewayId;
    private final Duration ttl;
    private long timer = -1;

    GatewayHeartbeat(Vertx vertx, GatewayStore store, String gatewayId, Duration ttl) {
        this.vertx = vertx;
        this.store = store;
        this.gatewayId = gatewayId;
        this.ttl = ttl;
    }

    /** Beats once (the returned stage completes when Redis has it), then every third of the TTL. */
    CompletionStage<Void> start() {
        timer = vertx.setPeriodic(Math.max(100, ttl.toMillis() / 3), id -> beat());
        return store.heartbeat(gatewayId, ttl);
    }

    private void beat() {
        store.heartbeat(gatewayId, ttl).exceptionally(error -> {
            LOG.warnf("heartbeat of %s failed: %s", gatewayId, error.getMessage());
            return null;
        });
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
