package io.tether.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tether.contract.MetricTags;
import io.tether.contract.PresenceEvent;
import io.tether.contract.PresenceState;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's metrics (Prometheus names):
 * <ul>
 * <li>{@code tether_gateway_connections{protocol,transport}}: open device connections (gauge; the HPA's metric);
 * <li>{@code tether_gateway_connects_total{protocol,transport}}: accepted CONNECTs;
 * <li>{@code tether_gateway_auth_failures_total{reason}}: CONNECTs refused as not authorised
 * ({@code client-id-invalid}, {@code no-credentials}, {@code bad-credentials});
 * <li>{@code tether_gateway_connect_errors_total{reason}}: CONNECTs refused for other reasons
 * ({@code server-unavailable}, {@code draining}, {@code will-unsupported}, {@code malformed}: U+0000 in the will topic,
 * {@code auth-method-unsupported}: an MQTT 5 Authentication Method, {@code closed-before-connack}: the connection
 * closed while its CONNECT was checked);
 * <li>{@code tether_gateway_ack_latency_seconds{outcome}}: PUBLISH to PUBACK of downstream deliveries, a histogram
 * ({@code _bucket}) for {@code histogram_quantile};
 * <li>{@code tether_gateway_ack_timeouts_total}: deliveries not acknowledged within the ack deadline (deaf sockets);
 * <li>{@code tether_gateway_upstream_messages_total}: device PUBLISHes forwarded to Kafka;
 * <li>{@code tether_gateway_upstream_failures_total}: device PUBLISHes (messages, lifecycle signals, push tokens) that
 * could not be stored, Kafka or Redis being unavailable; QoS 1 ones were answered PUBACK 0x80;
 * <li>{@code tether_presence_devices{state}}: devices connected here by presence state (LIVE, BACKGROUND, SUSPECT);
 * <li>{@code tether_gateway_wills_total{outcome}}: wills of ended connections, by what became of them: {@code sent},
 * {@code not-sent} (the first connection after it resumed the session, or a newer connection holds the device),
 * {@code sent-unchecked} (its delay was up and Redis did not answer) and {@code dropped-unchecked} (replaced here by a
 * newer will of the device, and Redis did not answer, twice).
 * </ul>
 * Every method is cheap and non-blocking: counters and atomics only, so it may run on an event loop.
 */
public final class GatewayMetrics {
    /** Transports, named as the listeners are: plain TCP, TLS, WebSocket, WebSocket over TLS. */
    public static final List<String> TRANSPORTS = List.of("tcp", "tls", "ws", "wss");
    /** The presence states a connected device can be in (OFFLINE ones are not connected to any gateway). */
    static final List<PresenceState> CONNECTED_STATES = List.of(PresenceState.LIVE, PresenceState.BACKGROUND, PresenceState.SUSPECT);

    private final MeterRegistry registry;
    private final Map<Tags, AtomicLong> connections = new ConcurrentHashMap<>();
    private final Map<PresenceState, AtomicLong> presence = new EnumMap<>(PresenceState.class);
    private final Counter ackTimeouts;
    private final Counter upstream;
    private final Counter upstreamFailures;
    private final Map<String, Counter> statuses = new ConcurrentHashMap<>();
    private final Map<String, Timer> ackTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> connects = new ConcurrentHashMap<>();
    private final Map<String, Counter> wills = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Registered up front, so that the series exist (at 0) before the first device connects.
        for (String protocol : List.of("3.1.1", "5")) {
            for (String transport : TRANSPORTS) {
                connectionGauge(protocol, transport);
            }
        }
        for (PresenceState state : CONNECTED_STATES) {
            AtomicLong count = new AtomicLong();
            presence.put(state, count);
            Gauge.builder("tether.presence.devices", count, AtomicLong::get)
                    .description("Devices connected to this gateway by presence state")
                    .tag("state", state.name())
                    .register(registry);
        }
        ackTimeouts = Counter.builder("tether.gateway.ack.timeouts")
                .description("Deliveries not acknowledged within the ack deadline (the socket went deaf)")
                .register(registry);
        upstream = Counter.builder("tether.gateway.upstream.messages")
                .description("Device PUBLISHes forwarded to Kafka")
                .register(registry);
        upstreamFailures = Counter.builder("tether.gateway.upstream.failures")
                .description("Device PUBLISHes (messages, lifecycle signals, push tokens) that could not be stored")
                .register(registry);
        ackTimer("accepted");
        for (String reason : List.of("client-id-invalid", "no-credentials", "bad-credentials")) {
            authFailureCounter(reason);
        }
        for (String reason : List.of("server-unavailable", "draining", "will-unsupported", "malformed")) {
            connectErrorCounter(reason);
        }
        for (String outcome : WILL_OUTCOMES) {
            wills.put(outcome, Counter.builder("tether.gateway.wills")
                    .description("Wills of ended device connections, by what became of them")
                    .tag("outcome", outcome).register(registry));
        }
    }

    /** What became of a will ({@code tether_gateway_wills_total{outcome}}). */
    static final List<String> WILL_OUTCOMES = List.of("sent", "not-sent", "sent-unchecked", "dropped-unchecked");

    /** A will of an ended connection was sent, or not ({@link #WILL_OUTCOMES}); an unknown outcome counts nothing. */
    public void will(String outcome) {
        Counter counter = wills.get(outcome);
        if (counter != null) {
            counter.increment();
        }
    }

    /** The MQTT protocol level of a CONNECT as a label: 3 → "3.1", 4 → "3.1.1", 5 → "5". */
    public static String protocol(int protocolLevel) {
        return switch (protocolLevel) {
            case 3 -> "3.1";
            case 4 -> "3.1.1";
            case 5 -> "5";
            default -> "other";
        };
    }

    /** The transport label of a listener ({@code mqtt}, {@code mqtts}, {@code ws}, {@code wss}). */
    public static String transportOfListener(String listener) {
        return switch (listener) {
            case "mqtt" -> "tcp";
            case "mqtts" -> "tls";
            default -> listener;
        };
    }

    /** A CONNECT was accepted: counts it, and returns the connection's handle for its presence and its end. */
    public Connection connected(String protocol, String transport) {
        connects.computeIfAbsent(protocol + ' ' + transport, k -> Counter.builder("tether.gateway.connects")
                .description("Accepted device CONNECTs").tag("protocol", protocol).tag("transport", transport).register(registry))
                .increment();
        AtomicLong open = connectionGauge(protocol, transport);
        open.incrementAndGet();
        return new Connection(open);
    }

    /** A CONNECT was refused as not authorised. */
    public void authFailure(String reason) {
        authFailureCounter(reason).increment();
    }

    /** A CONNECT was refused for another reason than its credentials. */
    public void connectError(String reason) {
        connectErrorCounter(reason).increment();
    }

    private Counter connectErrorCounter(String reason) {
        return Counter.builder("tether.gateway.connect.errors").description("Device CONNECTs refused for reasons other than credentials")
                .tag("reason", reason).register(registry);
    }

    /** A downstream delivery was acknowledged {@code nanos} after it was sent; {@code accepted} unless the PUBACK had an error code. */
    public void ackLatency(long nanos, boolean accepted) {
        ackTimer(accepted ? "accepted" : "rejected").record(nanos, TimeUnit.NANOSECONDS);
    }

    long presenceCount(PresenceState state) {
        return presence.get(state).get();
    }

    private AtomicLong connectionGauge(String protocol, String transport) {
        return connections.computeIfAbsent(Tags.of("protocol", protocol, "transport", transport), tags -> {
            AtomicLong count = new AtomicLong();
            Gauge.builder("tether.gateway.connections", count, AtomicLong::get)
                    .description("Open device connections on this gateway")
                    .tags(tags)
                    .register(registry);
            return count;
        });
    }

    private Counter authFailureCounter(String reason) {
        return Counter.builder("tether.gateway.auth.failures").description("Device CONNECTs refused as not authorised")
                .tag("reason", reason).register(registry);
    }

    private Timer ackTimer(String outcome) {
        return ackTimers.computeIfAbsent(outcome, o -> Timer.builder("tether.gateway.ack.latency")
                .description("Time from sending a downstream PUBLISH to its PUBACK")
                .tag("outcome", o)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry));
    }

    /** A delivery got its final status here (the gateway settles live deliveries): {@code tether_messages_status_total}. */
    public void status(String status, String reason) {
        statuses.computeIfAbsent(status + '\u0000' + MetricTags.reason(reason), k -> Counter.builder("tether.messages.status")
                .description("Per-device message status changes").tag("status", status).tag("reason", MetricTags.reason(reason))
                .register(registry)).increment();
    }

    /** Deliveries found past their TTL when handing the next ones over. */
    public void expired(int messages) {
        if (messages > 0) {
            statuses.computeIfAbsent("expired\u0000ttl", k -> Counter.builder("tether.messages.status")
                    .description("Per-device message status changes").tag("status", "expired").tag("reason", "ttl")
                    .register(registry)).increment(messages);
        }
    }

    /**
     * One accepted connection: counted in {@code tether_gateway_connections} until {@link #closed()}, and in
     * {@code tether_presence_devices} by the presence state its events lead to. The state follows the same rules
     * as fanout's presence script: BACKGROUND on the app's signal, LIVE on FOREGROUND, SUSPECT on a missed PUBACK,
     * back to the app's state when it acknowledges again. Used from the connection's event loop only.
     */
    public final class Connection implements ConnectionMeter {
        private final AtomicLong open;
        private PresenceState state = PresenceState.LIVE;
        private boolean background;
        private boolean closed;

        private Connection(AtomicLong open) {
            this.open = open;
            presence.get(state).incrementAndGet();
        }

        /** The connection reported a presence event (BACKGROUND, FOREGROUND, ACK_TIMEOUT, RESPONSIVE; others change nothing here). */
        @Override
        public void presence(PresenceEvent.Kind kind) {
            if (closed) {
                return;
            }
            PresenceState next = switch (kind) {
                case BACKGROUND -> {
                    background = true;
                    yield PresenceState.BACKGROUND;
                }
                case FOREGROUND -> {
                    background = false;
                    yield PresenceState.LIVE;
                }
                case ACK_TIMEOUT -> {
                    ackTimeouts.increment();
                    yield PresenceState.SUSPECT;
                }
                case RESPONSIVE -> state == PresenceState.SUSPECT ? (background ? PresenceState.BACKGROUND : PresenceState.LIVE) : state;
                default -> state;
            };
            if (next != state) {
                presence.get(state).decrementAndGet();
                presence.get(next).incrementAndGet();
                state = next;
            }
        }

        /** A downstream delivery on this connection was acknowledged {@code nanos} after it was sent. */
        @Override
        public void ackLatency(long nanos, boolean accepted) {
            GatewayMetrics.this.ackLatency(nanos, accepted);
        }

        /** The device PUBLISHed a message that goes upstream to Kafka. */
        @Override
        public void upstream() {
            upstream.increment();
        }

        @Override
        public void upstreamFailed() {
            upstreamFailures.increment();
        }

        public PresenceState state() {
            return state;
        }

        /** The connection ended; idempotent. */
        @Override
        public void closed() {
            if (!closed) {
                closed = true;
                open.decrementAndGet();
                presence.get(state).decrementAndGet();
            }
        }
    }
}
