package io.tether.webhook.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Webhook meters: {@code tether_webhook_attempts_total{outcome}} (delivered, retrying, dead; counted once Redis has
 * settled the attempt, see {@link Settlement}),
 * {@code tether_webhook_events_total} (events queued for a webhook), {@code tether_webhook_overflows_total} (events
 * that found their device's queue full: dead letters at once), {@code tether_webhook_attempt_seconds} (time to a
 * receiver's answer).
 */
public final class DeliveryMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> attempts = new ConcurrentHashMap<>();
    private final Counter queued;
    private final Counter overflows;
    private final Timer latency;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.queued = Counter.builder("tether.webhook.events").description("Events queued for a webhook").register(registry);
        this.overflows = Counter.builder("tether.webhook.overflows")
                .description("Events dead-lettered at once because their device's queue was full").register(registry);
        this.latency = Timer.builder("tether.webhook.attempt").description("Time to a receiver's answer").publishPercentileHistogram()
                .register(registry);
        for (String outcome : new String[] {"delivered", "retrying", "dead"}) {
            attempt(outcome);
        }
    }

    void queued() {
        queued.increment();
    }

    void overflowed() {
        overflows.increment();
    }

    void attempted(String outcome, long durationMs) {
        attempt(outcome).increment();
        latency.record(Duration.ofMillis(durationMs));
    }

    private Counter attempt(String outcome) {
        return attempts.computeIfAbsent(outcome, o -> Counter.builder("tether.webhook.attempts")
                .description("Webhook delivery attempts by outcome").tag("outcome", o).register(registry));
    }
}
