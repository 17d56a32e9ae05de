package io.tether.fanout.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the routing consumer's loop runs. It survives Redis and Kafka outages (it retries), so this fails only
 * when the loop ended by a bug; then a restart helps. Dependencies are readiness, never liveness.
 */
@Liveness
@ApplicationScoped
class FanoutLiveness implements HealthCheck {
    private final FanoutApp app;

    FanoutLiveness(FanoutApp app) {
        this.app = app;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("routing-loop").status(app.isRoutingAlive()).build();
    }
}
