package io.tether.fanout.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the routing consumer is polling; Redis has the shared {@code redis} check. */
@Readiness
@ApplicationScoped
class FanoutReadiness implements HealthCheck {
    private final FanoutApp app;

    FanoutReadiness(FanoutApp app) {
        this.app = app;
    }

    @Override
    public HealthCheckResponse call() {
        boolean routing = app.isRoutingRunning();
        return HealthCheckResponse.named("fanout").status(routing).withData("routing", routing).build();
    }
}
