package io.tether.rest.limit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code tether_api_auth_failures_total{outcome}}: requests to {@code /v1/} answered 401 ({@code refused}: they failed
 * to authenticate) or 429 unheard because their address failed too often ({@code throttled}).
 */
public final class AuthFailureMetrics implements FailedAuthLimiter.Listener {
    private final Counter refused;
    private final Counter throttled;

    public AuthFailureMetrics(MeterRegistry registry) {
        refused = counter(registry, "refused");
        throttled = counter(registry, "throttled");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("tether.api.auth.failures")
                .description("Requests that failed to authenticate, or were held back because their address failed too often")
                .tag("outcome", outcome).register(registry);
    }

    @Override
    public void failed() {
        refused.increment();
    }

    @Override
    public void throttled() {
        throttled.increment();
    }
}
