package io.tether.runtime.quarkus;

import io.lettuce.core.api.StatefulRedisConnection;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while Redis answers PING, in every service. Readiness only: a Redis outage takes pods out of their Service,
 * it never makes Kubernetes restart them (liveness does not look at dependencies). Asynchronous, so the probe never
 * holds a thread on a dead Redis.
 */
@Readiness
@ApplicationScoped
public class RedisReadiness implements AsyncHealthCheck {
    static final String NAME = "redis";
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final StatefulRedisConnection<String, String> redis;

    public RedisReadiness(StatefulRedisConnection<String, String> redis) {
        this.redis = redis;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().completionStage(() -> redis.async().ping())
                .ifNoItem().after(TIMEOUT).fail()
                .map(pong -> HealthCheckResponse.up(NAME))
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("error", failure.getClass().getSimpleName()).build());
    }
}
