package io.tether.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.tether.contract.PresenceEvent.Kind;
import io.tether.contract.PresenceState;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(registry);

    private double connections(String protocol, String transport) {
        return registry.get("tether.gateway.connections").tag("protocol", protocol).tag("transport", transport).gauge().value();
    }

    private double presence(PresenceState state) {
        return registry.get("tether.presence.devices").tag("state", state.name()).gauge().value();
    }

    @Test
    void connectionGaugesExistAtZeroForEveryTransportBeforeAnyDeviceConnects() {
        for (String transport : GatewayMetrics.TRANSPORTS) {
            assertEquals(0, connections("3.1.1", transport));
            assertEquals(0, connections("5", transport));
        }
        assertEquals(0, presence(PresenceState.LIVE));
    }

    @Test
    void willOutcomesExistAtZeroAndCountWhatBecameOfEachWill() {
        for (String outcome : GatewayMetrics.WILL_OUTCOMES) {
            assertEquals(0, registry.get("tether.gateway.wills").tag("outcome", outcome).counter().count(), outcome);
        }
        metrics.will("dropped-unchecked");
        metrics.will("dropped-unchecked");
        metrics.will("sent");
        metrics.will("something-else"); // counts nothing, registers nothing

        assertEquals(2, registry.get("tether.gateway.wills").tag("outcome", "dropped-unchecked").counter().count());
        assertEquals(1, registry.get("tether.gateway.wills").tag("outcome", "sent").counter().count());
        assertEquals(GatewayMetrics.WILL_OUTCOMES.size(), registry.find("tether.gateway.wills").counters().size());
    }

    @Test
    void connectionsCountUpOnAcceptAndDownOnceOnClose() {
        GatewayMetrics.Connection a = metrics.connected("5", "tcp");
        GatewayMetrics.Connection b = metrics.connected("5", "tcp");
        GatewayMetrics.Connection c = metrics.connected("3.1.1", "wss");
        assertEquals(2, connections("5", "tcp"));
        assertEquals(1, connections("3.1.1", "wss"));
        assertEquals(2, registry.get("tether.gateway.connects").tag("protocol", "5").tag("transport", "tcp").counter().count());
        assertEquals(3, presence(PresenceState.LIVE));

        a.closed();
        a.closed();
        c.closed();
        assertEquals(1, connections("5", "tcp"));
        assertEquals(0, connections("3.1.1", "wss"));
        assertEquals(1, presence(PresenceState.LIVE));
        b.closed();
        assertEquals(0, presence(PresenceState.LIVE));
    }

    @Test
    void presenceFollowsTheSameRulesAsFanoutsScript() {
        GatewayMetrics.Connection c = metrics.connected("5", "tcp");
        assertEquals(PresenceState.LIVE, c.state());
        c.presence(Kind.RECEIVING);
        assertEquals(PresenceState.LIVE, c.state());
        c.presence(Kind.ACK_TIMEOUT);
        assertEquals(PresenceState.SUSPECT, c.state());
        assertEquals(1, presence(PresenceState.SUSPECT));
        assertEquals(0, presence(PresenceState.LIVE));
        c.presence(Kind.RESPONSIVE);
        assertEquals(PresenceState.LIVE, c.state());

        c.presence(Kind.BACKGROUND);
        assertEquals(PresenceState.BACKGROUND, c.state());
        c.presence(Kind.ACK_TIMEOUT);
        assertEquals(PresenceState.SUSPECT, c.state());
        // Acknowledging again returns to what the app said it is in: the background.
        c.presence(Kind.RESPONSIVE);
        assertEquals(PresenceState.BACKGROUND, c.state());
        c.presence(Kind.FOREGROUND);
        assertEquals(PresenceState.LIVE, c.state());
        assertEquals(2, registry.get("tether.gateway.ack.timeouts").counter().count());

        c.closed();
        c.presence(Kind.BACKGROUND); // late events of a closed connection change nothing
        for (PresenceState state : GatewayMetrics.CONNECTED_STATES) {
            assertEquals(0, presence(state), state.name());
        }
    }

    @Test
    void ackLatencyIsAHistogramWithBuckets() {
        GatewayMetrics.Connection c = metrics.connected("5", "tcp");
        c.ackLatency(TimeUnit.MILLISECONDS.toNanos(12), true);
        c.ackLatency(TimeUnit.MILLISECONDS.toNanos(40), false);
        Timer accepted = registry.get("tether.gateway.ack.latency").tag("outcome", "accepted").timer();
        assertEquals(1, accepted.count());
        assertEquals(1, registry.get("tether.gateway.ack.latency").tag("outcome", "rejected").timer().count());
    }

    @Test
    void prometheusSeesTheNamesTheDashboardAndTheHpaUse() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GatewayMetrics metrics = new GatewayMetrics(prometheus);
        metrics.connected("5", "tcp").ackLatency(TimeUnit.MILLISECONDS.toNanos(12), true);
        String scrape = prometheus.scrape();
        assertTrue(scrape.matches("(?s).*\ntether_gateway_connections\\{protocol=\"5\",transport=\"tcp\",?} 1(\\.0)?\n.*"), scrape);
        assertTrue(scrape.contains("\ntether_gateway_ack_latency_seconds_bucket{"), "percentile histogram buckets are published");
        assertTrue(scrape.matches("(?s).*\ntether_presence_devices\\{state=\"LIVE\",?} 1(\\.0)?\n.*"), scrape);
        assertTrue(scrape.contains("\ntether_gateway_auth_failures_total{reason=\"bad-credentials\""), scrape);
    }

    @Test
    void refusalsAreCountedByReason() {
        metrics.authFailure("bad-credentials");
        metrics.authFailure("bad-credentials");
        metrics.connectError("draining");
        assertEquals(2, registry.get("tether.gateway.auth.failures").tag("reason", "bad-credentials").counter().count());
        assertEquals(0, registry.get("tether.gateway.auth.failures").tag("reason", "no-credentials").counter().count());
        assertEquals(1, registry.get("tether.gateway.connect.errors").tag("reason", "draining").counter().count());
    }

    @Test
    void labels() {
        assertEquals("3.1.1", GatewayMetrics.protocol(4));
        assertEquals("5", GatewayMetrics.protocol(5));
        assertEquals("tcp", GatewayMetrics.transportOfListener("mqtt"));
        assertEquals("tls", GatewayMetrics.transportOfListener("mqtts"));
        assertEquals("ws", GatewayMetrics.transportOfListener("ws"));
        assertEquals("wss", GatewayMetrics.transportOfListener("wss"));
    }
}
