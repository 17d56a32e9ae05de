package io.tether.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tether.gateway.guard.ConnectGuard;
import io.tether.gateway.guard.SessionAudit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's guard metrics (Prometheus names):
 * <ul>
 * <li>{@code tether_gateway_connect_throttled_total{scope,verdict}}: CONNECTs refused unheard because their source
 * failed too often ({@code scope} address or client-id; {@code verdict} quota-exceeded or banned);
 * <li>{@code tether_gateway_limit_refusals_total{limit}}: packets refused by a per-connection limit (subscriptions,
 * topic, will-payload, inflight, queued-bytes, payload, rate);
 * <li>{@code tether_gateway_sessions_closed_total{reason}}: connections closed by the registry's word or another
 * gateway's (credentials: deleted, revoked or rotated; taken-over: a newer connection of the device).
 * </ul>
 * Failed authentications themselves are {@code tether_gateway_auth_failures_total} ({@link GatewayMetrics}).
 */
public final class GuardMetrics implements ConnectGuard.GuardListener, SessionAudit.Listener {
    static final List<String> LIMITS = List.of("subscriptions", "topic", "will-payload", "inflight", "queued-bytes", "payload", "rate");

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public GuardMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Registered up front, so that the series exist (at 0) before the first refusal.
        throttled("address", ConnectGuard.Verdict.QUOTA_EXCEEDED, false);
        throttled("address", ConnectGuard.Verdict.BANNED, false);
        throttled("client-id", ConnectGuard.Verdict.QUOTA_EXCEEDED, false); // a client id is never banned
        LIMITS.forEach(limit -> counter("tether.gateway.limit.refusals", "Packets refused by a per-connection limit", "limit", limit));
        for (String reason : List.of("credentials", "taken-over")) {
            counter("tether.gateway.sessions.closed", "Connections closed after a credential change or a newer connection elsewhere",
                    "reason", reason);
        }
    }

    @Override
    public void throttled(String scope, ConnectGuard.Verdict verdict) {
        throttled(scope, verdict, true);
    }

    /** A packet was refused by a per-connection limit. */
    public void limitRefused(String limit) {
        counter("tether.gateway.limit.refusals", "Packets refused by a per-connection limit", "limit", limit).increment();
    }

    @Override
    public void closed(String reason) {
        counter("tether.gateway.sessions.closed", "Connections closed after a credential change or a newer connection elsewhere",
                "reason", reason).increment();
    }

    private void throttled(String scope, ConnectGuard.Verdict verdict, boolean count) {
        String name = verdict.name().toLowerCase(Locale.ROOT).replace('_', '-');
        Counter counter = counters.computeIfAbsent("throttled/" + scope + "/" + name, key -> Counter.builder("tether.gateway.connect.throttled")
                .description("CONNECTs refused unheard because their source failed to authenticate too often")
                .tag("scope", scope).tag("verdict", name).register(registry));
        if (count) {
            counter.increment();
        }
    }

    private Counter counter(String name, String description, String tag, String value) {
        return counters.computeIfAbsent(name + "/" + value, key -> Counter.builder(name).description(description).tag(tag, value)
                .register(registry));
    }
}
