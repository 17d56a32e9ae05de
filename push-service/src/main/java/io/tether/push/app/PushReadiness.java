package io.tether.push.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the push consumer is polling and the apps are published for the registry and fanout (Redis: the shared redis check). Needs no APNs app: without one every push fails, visibly. */
@Readiness
@ApplicationScoped
class PushReadiness implements HealthCheck {
    private final PushApp app;

    PushReadiness(PushApp app) {
        this.app = app;
    }

    @Override
    public HealthCheckResponse call() {
        boolean consuming = app.isConsuming();
        boolean apps = app.isCatalogPublished();
        return HealthCheckResponse.named("push")
                .status(consuming && apps)
                .withData("consumer", consuming)
                .withData("appsPublished", apps)
                .build();
    }
}
