package io.tether.push.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
}
