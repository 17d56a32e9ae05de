package io.tether.webhook.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the intake consumer polls; live while its loop runs (Redis and Kafka outages are retried, not fatal). */
@ApplicationScoped
class WebhookHealth {
    private final WebhookApp app;

    WebhookHealth(WebhookApp app) {
        this.app = app;
    }

    @Readiness
    @jakarta.enterprise.inject.Produces
    HealthCheck ready() {
        return () -> HealthCheckResponse.named("webhook-intake").status(app.isConsuming()).build();
    }

    @Liveness
    @jakarta.enterprise.inject.Produces
    HealthCheck live() {
        return () -> HealthCheckResponse.named("webhook-intake-loop").status(app.isAlive()).build();
    }
}
