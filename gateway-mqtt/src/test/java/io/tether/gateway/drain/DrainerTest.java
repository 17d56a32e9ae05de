package io.tether.gateway.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.tether.gateway.testing.FakeEndpoint;
import io.tether.gateway.testing.FakeVertx;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link Drainer} on a hand-moved clock and hand-fired timers: who is asked to leave when, and the gate for new CONNECTs. */
class DrainerTest {
    private final FakeVertx vertx = new FakeVertx();
    private final AtomicLong nanos = new AtomicLong();
    private final List<Leaving> held = new CopyOnWriteArrayList<>();

    /** A connection that records when it was asked to leave and closes when the test says so. */
    private final class Leaving implements Departing {
        final String name;
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        long askedAtMillis = -1;
        MqttDisconnectReasonCode code;
        MqttProperties properties;

        Leaving(String name) {
            this.name = name;
        }

        @Override
        public CompletionStage<Void> leave(MqttDisconnectReasonCode code, MqttProperties properties) {
            askedAtMillis = nanos.get() / 1_000_000;
            this.code = code;
            this.properties = properties;
            return closed;
        }
    }

    private Drainer drainer(Duration window, Optional<String> serverReference) {
        return new Drainer(vertx.vertx(), () -> held, window, new DrainNotice(serverReference), nanos::get);
    }

    private List<Leaving> hold(int count) {
        List<Leaving> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Leaving leaving = new Leaving("c" + i);
            out.add(leaving);
            held.add(leaving);
        }
        return out;
    }

    private long asked(List<Leaving> connections) {
        return connections.stream().filter(c -> c.askedAtMillis >= 0).count();
    }

    @Test
    void connectionsAreAskedToLeaveEvenlyOverTheWindowAndTheDrainEndsWhenAllClosed() {
        List<Leaving> connections = hold(10);
        Drainer drainer = drainer(Duration.ofSeconds(10), Optional.empty());

        CompletableFuture<Drainer.Report> done = drainer.drain();
        long first = asked(connections);
        nanos.set(Duration.ofSeconds(5).toNanos());
        vertx.fireAll();
        long half = asked(connections);
        nanos.set(Duration.ofSeconds(10).toNanos());
        vertx.fireAll();

        assertTrue(first <= 1, "at most one at once: " + first);
        assertTrue(half >= 4 && half <= 6, "about half after half the window: " + half);
        assertEquals(10, asked(connections));
        assertFalse(done.isDone(), "not done while sockets are open");
        connections.forEach(c -> c.closed.complete(null));
        Drainer.Report report = done.join();
        assertEquals(10, report.connections());
        assertTrue(connections.stream().allMatch(c -> c.code == MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN));
        assertEquals("gateway shutting down", FakeEndpoint.reasonString(connections.get(0).properties));
    }

    @Test
    void withAServerReferenceDevicesAreToldToUseAnotherServer() {
        List<Leaving> connections = hold(2);

        drainer(Duration.ZERO, Optional.of("mqtt-b.example.com:8883")).drain();

        assertEquals(2, asked(connections), "a zero window asks everyone at once");
        assertTrue(connections.stream().allMatch(c -> c.code == MqttDisconnectReasonCode.USE_ANOTHER_SERVER));
    }

    @Test
    void aConnectionAcceptedDuringTheDrainIsAskedAtTheEndOfTheWindow() {
        List<Leaving> planned = hold(2);
        Drainer drainer = drainer(Duration.ofSeconds(2), Optional.empty());
        CompletableFuture<Drainer.Report> done = drainer.drain();
        Leaving late = hold(1).get(0);

        nanos.set(Duration.ofSeconds(1).toNanos());
        vertx.fireAll();
        assertEquals(2, asked(planned));
        assertEquals(-1, late.askedAtMillis, "not planned: it waits for the end of the window");

        nanos.set(Duration.ofSeconds(2).toNanos());
        vertx.fireAll();
        assertEquals(2000, late.askedAtMillis);
        held.forEach(c -> c.closed.complete(null));
        assertEquals(3, done.join().connections());
    }

    @Test
    void aGatewayWithoutConnectionsIsDrainedAtOnce() {
        assertEquals(0, drainer(Duration.ofSeconds(20), Optional.empty()).drain().join().connections());
    }

    @Test
    void drainingTwiceIsOneDrain() {
        List<Leaving> connections = hold(1);
        Drainer drainer = drainer(Duration.ZERO, Optional.empty());

        CompletableFuture<Drainer.Report> first = drainer.drain();
        CompletableFuture<Drainer.Report> second = drainer.drain();

        connections.get(0).closed.complete(null);
        assertEquals(first, second);
        assertEquals(1, first.join().connections());
    }

    @Test
    void theGateLetsConnectsThroughUntilTheDrainThenRefusesThemByProtocolVersion() {
        Drainer drainer = drainer(Duration.ofSeconds(1), Optional.empty());
        List<String> handled = new ArrayList<>();
        var gate = drainer.gate(endpoint -> handled.add(endpoint.clientIdentifier()));

        gate.handle(new FakeEndpoint().clientId("before").endpoint());
        drainer.drain();
        FakeEndpoint v5 = new FakeEndpoint().clientId("after5");
        FakeEndpoint v311 = new FakeEndpoint().clientId("after311").mqtt311();
        gate.handle(v5.endpoint());
        gate.handle(v311.endpoint());

        assertEquals(List.of("before"), handled);
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5, v5.refusal());
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, v311.refusal());
        assertTrue(drainer.isDraining());
    }
}
