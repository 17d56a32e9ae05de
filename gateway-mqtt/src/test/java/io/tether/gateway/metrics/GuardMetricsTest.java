package io.tether.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.tether.gateway.guard.ConnectGuard;
import org.junit.jupiter.api.Test;

class GuardMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final GuardMetrics metrics = new GuardMetrics(registry);

    @Test
    void everySeriesExistsAtZeroBeforeAnythingIsRefused() {
        assertEquals(0, registry.get("tether.gateway.connect.throttled").tag("scope", "address").tag("verdict", "banned").counter().count());
        assertEquals(0, registry.get("tether.gateway.connect.throttled").tag("scope", "address").tag("verdict", "quota-exceeded")
                .counter().count());
        assertEquals(0, registry.get("tether.gateway.connect.throttled").tag("scope", "client-id").tag("verdict", "quota-exceeded")
                .counter().count());
        for (String limit : GuardMetrics.LIMITS) {
            assertEquals(0, registry.get("tether.gateway.limit.refusals").tag("limit", limit).counter().count(), limit);
        }
        assertEquals(0, registry.get("tether.gateway.sessions.closed").tag("reason", "taken-over").counter().count());
        assertTrue(registry.scrape().contains("tether_gateway_connect_throttled_total{scope=\"address\",verdict=\"banned\""),
                "the Prometheus name");
    }

    @Test
    void refusalsAndClosedSessionsAreCountedByTheirLabels() {
        metrics.throttled("address", ConnectGuard.Verdict.BANNED);
        metrics.throttled("address", ConnectGuard.Verdict.BANNED);
        metrics.throttled("client-id", ConnectGuard.Verdict.QUOTA_EXCEEDED);
        metrics.limitRefused("subscriptions");
        metrics.closed("credentials");

        assertEquals(2, registry.get("tether.gateway.connect.throttled").tag("scope", "address").tag("verdict", "banned").counter().count());
        assertEquals(1, registry.get("tether.gateway.connect.throttled").tag("scope", "client-id").tag("verdict", "quota-exceeded")
                .counter().count());
        assertEquals(1, registry.get("tether.gateway.limit.refusals").tag("limit", "subscriptions").counter().count());
        assertEquals(1, registry.get("tether.gateway.sessions.closed").tag("reason", "credentials").counter().count());
    }
}
