package io.tether.gateway.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once MQTT listens and this instance's deliveries are being consumed. */
@Readiness
@ApplicationScoped
class GatewayReadiness implements HealthCheck {
    private final GatewayApp app;

    GatewayReadiness(GatewayApp app) {
        this.app = app;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("mqtt-gateway")
                .status(app.isReady())
                .withData("gatewayId", String.valueOf(app.gatewayId()))
                .withData("connections", app.connectionCount())
                .build();
    }
}
