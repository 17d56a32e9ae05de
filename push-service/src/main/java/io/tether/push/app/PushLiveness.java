package io.tether.push.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the push consumer's loop runs; it survives Redis, Kafka and APNs outages, so this fails only on a bug. */
@Liveness
@ApplicationScoped
class PushLiveness implements HealthCheck {
    private final PushApp app;

    PushLiveness(PushApp app) {
        this.app = app;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("push-loop").status(app.isConsumerAlive()).build();
    }
}
