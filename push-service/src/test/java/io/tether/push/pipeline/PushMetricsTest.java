package io.tether.push.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.contract.Receipt;
import org.junit.jupiter.api.Test;

class PushMetricsTest {

    @Test
    void retryReasonsAndDeadLettersExistAtZeroBeforeTheFirstOne() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PushMetrics metrics = new PushMetrics(registry);
        assertEquals(0, registry.get("tether.push.retries").tag("reason", "TooManyRequests").counter().count());
        assertEquals(0, registry.get("tether.push.dead.letters").counter().count());
        metrics.retry("TooManyRequests");
        metrics.deadLettered();
        assertEquals(1, registry.get("tether.push.retries").tag("reason", "TooManyRequests").counter().count());
        assertEquals(1, registry.get("tether.push.dead.letters").counter().count());
    }

    @Test
    void outcomesAndApnsLatenciesCountUnderTheirLabels() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PushMetrics metrics = new PushMetrics(registry);
        Receipt pushed = new Receipt("d1", "m1", 0, Receipt.Outcome.PUSHED, null, 1, "apns-1");
        Receipt failed = new Receipt("d1", "m2", 0, Receipt.Outcome.PUSH_FAILED, "BadDeviceToken (environment mismatch?)", 1, "apns-2");
        metrics.outcome(new PushProcessor.Outcome(pushed, "com.example", "alert"));
        metrics.outcome(new PushProcessor.Outcome(pushed, "com.example", "alert"));
        metrics.outcome(new PushProcessor.Outcome(failed, "com.example", "alert"));
        metrics.apnsLatency(2_000_000, "accepted");
        metrics.apnsLatency(4_000_000, "accepted");

        assertEquals(2, registry.get("tether.push.sent").tags("outcome", "pushed", "reason", "none", "app", "com.example",
                "push_type", "alert").counter().count());
        assertEquals(1, registry.get("tether.push.sent").tags("outcome", "failed", "reason", "BadDeviceToken").counter().count());
        assertEquals(2, registry.get("tether.push.apns.latency").tag("result", "accepted").timer().count());
    }
}
