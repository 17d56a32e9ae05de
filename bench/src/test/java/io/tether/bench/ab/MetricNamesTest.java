package io.tether.bench.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricNamesTest {
    @Test
    void keyMetricsReadAsTheClaimsQuoteThem() {
        assertEquals("CPU per live message at 1,000 msg/s, all Tether processes (µs)",
                MetricNames.describe("3.tether.cpu_us_per_msg.1000"));
        assertEquals("upstream: gateway CPU per message (µs)", MetricNames.describe("1.tether.gateway_cpu_us_per_msg"));
        assertNull(MetricNames.describe("3.tether.cpu_us_per_msg.kafka.1000"));
    }

    @Test
    void keyMetricsAreOrderedByKindThenRate() {
        assertTrue(MetricNames.rank("3.tether.cpu_us_per_msg.250") < MetricNames.rank("3.tether.cpu_us_per_msg.1000"));
        assertTrue(MetricNames.rank("3.tether.cpu_us_per_msg.5000") < MetricNames.rank("3.tether.p50_ms.250"));
        assertEquals(Long.MAX_VALUE, MetricNames.rank("3.mosquitto.p50_ms.250"));
    }
}
