package io.tether.fanout.quota;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Quota meters, one series per app (apps are few, and operators set quotas per app):
 * {@code tether_app_messages_total{app}} messages charged to an app's quota, {@code tether_quota_refused_total{app,quota}}
 * messages refused (quota {@code second}, {@code day}), {@code tether_app_refunds_total{app}} charges given back because
 * the message was not sent after all.
 */
public final class QuotaMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public QuotaMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void accepted(String app) {
        counters.computeIfAbsent("a\u0000" + app, k -> Counter.builder("tether.app.messages")
                .description("Messages charged to an app's quota").tag("app", app).register(registry)).increment();
    }

    void refunded(String app) {
        counters.computeIfAbsent("f\u0000" + app, k -> Counter.builder("tether.app.refunds")
                .description("Charges given back to an app's quota: the message was not sent after all").tag("app", app)
                .register(registry)).increment();
    }

    void refused(String app, String quota) {
        counters.computeIfAbsent("r\u0000" + app + "\u0000" + quota, k -> Counter.builder("tether.quota.refused")
                .description("Messages refused because an app's quota was used up").tag("app", app).tag("quota", quota)
                .register(registry)).increment();
    }
}
