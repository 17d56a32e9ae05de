package io.tether.fanout.app;

import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when Redis answers and the routing consumer is polling. */
@Readiness
@ApplicationScoped
class FanoutReadiness implements HealthCheck {
    private final FanoutApp app;
    private final StatefulRedisConnection<String, String> redis;

    FanoutReadiness(FanoutApp app, StatefulRedisConnection<String, String> redis) {
        this.app = app;
        this.redis = redis;
    }

    @Override
    public HealthCheckResponse call() {
        boolean redisUp = redis.isOpen();
        return HealthCheckResponse.named("fanout")
                .status(redisUp && app.isRoutingRunning())
                .withData("redis", redisUp)
                .withData("routing", app.isRoutingRunning())
                .build();
    }
}
