package io.tether.fanout.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FanoutMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FanoutMetrics metrics = new FanoutMetrics(registry);

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void routesAndFallbackReasonsExistAtZeroBeforeTraffic() {
        for (String route : FanoutMetrics.ROUTES) {
            assertEquals(0, count("tether.messages.routed", "route", route));
        }
        for (String reason : FanoutMetrics.FALLBACK_REASONS) {
            assertEquals(0, count("tether.fallbacks", "reason", reason));
        }
        assertEquals(0, count("tether.messages.status", "status", "delivered", "reason", "none"));
        assertEquals(0, count("tether.fanout.dead.letters"));
    }

    @Test
    void countsDeadLetters() {
        metrics.deadLettered();
        metrics.deadLettered();

        assertEquals(2, count("tether.fanout.dead.letters"));
    }

    @Test
    void countsMessagesByRouteStatusAndFallbackReason() {
        metrics.accepted("device");
        metrics.routed("inbox", 1);
        metrics.routed("live", 3);
        metrics.routed("push", 0);
        metrics.fallback("deaf", 2);
        metrics.status("delivered", null);
        metrics.status("failed", "push-failed: BadDeviceToken (410)");
        metrics.status("failed", "inbox-full");
        metrics.presence("SUSPECT");

        assertEquals(1, count("tether.messages.accepted", "target", "device"));
        assertEquals(1, count("tether.messages.routed", "route", "inbox"));
        assertEquals(3, count("tether.messages.routed", "route", "live"));
        assertEquals(0, count("tether.messages.routed", "route", "push"));
        assertEquals(2, count("tether.fallbacks", "reason", "deaf"));
        assertEquals(1, count("tether.messages.status", "status", "delivered", "reason", "none"));
        assertEquals(1, count("tether.messages.status", "status", "failed", "reason", "push-failed"));
        assertEquals(1, count("tether.messages.status", "status", "failed", "reason", "inbox-full"));
        assertEquals(1, count("tether.presence.transitions", "state", "SUSPECT"));
    }

    @Test
    void inboxDepthIsAHistogramOfSamples() {
        metrics.inboxDepth(1);
        metrics.inboxDepth(3);
        metrics.inboxDepth(700);
        DistributionSummary depth = registry.get("tether.inbox.depth").summary();
        assertEquals(3, depth.count());
        assertEquals(704, depth.totalAmount());
        assertEquals(700, depth.max());
        double atMost5 = Arrays.stream(depth.takeSnapshot().histogramCounts()).filter(b -> b.bucket() == 5).findFirst().orElseThrow().count();
        assertEquals(2, atMost5);
    }
}
