package io.tether.push.pipeline;

import io.tether.contract.MetricTags;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tether.contract.Receipt;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Push metrics (Prometheus names): {@code tether_push_sent_total{outcome,reason,app,push_type}} per final outcome,
 * {@code tether_push_rate_limit_waiting{app}},
 * {@code tether_push_apns_latency_seconds{result}} per APNs attempt, {@code tether_push_retries_total{reason}},
 * {@code tether_push_token_invalidations_total}, {@code tether_push_dead_letters_total},
 * {@code tether_push_in_flight}.
 */
public final class PushMetrics {
    /** The labels of one sent counter. */
    private record SentKey(boolean pushed, String reason, String app, String pushType) {
    }

    private final MeterRegistry registry;
    private final Counter invalidations;
    // Registered once per label set, not looked up in the registry per push (the label values are bounded).
    private final Map<SentKey, Counter> sent = new ConcurrentHashMap<>();
    private final Map<String, Timer> apnsLatency = new ConcurrentHashMap<>();

    public PushMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.invalidations = Counter.builder("tether.push.token.invalidations")
                .description("Device tokens removed from the registry after APNs called them dead")
                .register(registry);
        // Known label values start at 0 (Prometheus' advice), so rates and dashboards work before the first retry.
        List.of("TooManyRequests", "InternalServerError", "ServiceUnavailable", "Shutdown", "ExpiredProviderToken")
                .forEach(this::retries);
        Counter.builder("tether.push.dead.letters").description("Push requests sent to the dead-letter topic").register(registry);
    }

    /** Labels app (the configured bundle id, bounded by configuration) and push_type (apns-push-type) as well. */
    public void outcome(PushProcessor.Outcome outcome) {
        Receipt receipt = outcome.receipt();
        SentKey key = new SentKey(receipt.outcome() == Receipt.Outcome.PUSHED, MetricTags.reason(receipt.reason()), outcome.app(),
                outcome.pushType());
        sent.computeIfAbsent(key, k -> Counter.builder("tether.push.sent")
                .description("Push requests by final outcome, app and push type")
                .tag("outcome", k.pushed() ? "pushed" : "failed")
                .tag("reason", k.reason())
                .tag("app", k.app())
                .tag("push_type", k.pushType())
                .register(registry)).increment();
    }

    /** Notifications of each rate-limited app waiting for their turn. */
    public void rateLimitQueue(String app, Supplier<Number> waiting) {
        Gauge.builder("tether.push.rate.limit.waiting", waiting, w -> w.get().doubleValue())
                .description("Notifications waiting for their app's rate limit").tag("app", app)
                .strongReference(true).register(registry);
    }

    public void retry(String reason) {
        retries(MetricTags.reason(reason)).increment();
    }

    private Counter retries(String reasonTag) {
        return Counter.builder("tether.push.retries").description("APNs attempts that will be retried")
                .tag("reason", reasonTag).register(registry);
    }

    public void deadLettered() {
        Counter.builder("tether.push.dead.letters").description("Push requests sent to the dead-letter topic")
                .register(registry).increment();
    }

    public void tokenInvalidated() {
        invalidations.increment();
    }

    public void apnsLatency(long nanos, String result) {
        apnsLatency.computeIfAbsent(result, r -> Timer.builder("tether.push.apns.latency")
                .description("Time from handing a notification to Pushy to APNs' answer")
                .tag("result", r)
                // Buckets (tether_push_apns_latency_seconds_bucket) so the dashboard can show percentiles across pods.
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofMillis(1))
                .maximumExpectedValue(java.time.Duration.ofSeconds(30))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void inFlight(Supplier<Number> count) {
        Gauge.builder("tether.push.in.flight", count, c -> c.get().doubleValue())
                .description("Push requests being handled, including those waiting for a retry")
                .strongReference(true).register(registry);
    }

}
