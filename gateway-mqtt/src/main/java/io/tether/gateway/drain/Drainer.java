package io.tether.gateway.drain;

import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Takes a gateway instance out of service without devices noticing more than a reconnect: from {@link #drain()}
 * on, new CONNECTs are refused ({@link #gate}), and the connections held here are asked to leave one after the
 * other, evenly over the drain window ({@link DrainPlan}). Each one first reports DISCONNECTED to Kafka, so that
 * fanout routes new messages to push and inbox, and only then gets its DISCONNECT and is closed
 * ({@link Departing#leave}).
 */
public final class Drainer {
    private static final Logger LOG = Logger.getLogger(Drainer.class);
    private static final long MIN_TICK_MILLIS = 5;
    private static final long MAX_TICK_MILLIS = 100;

    private final Vertx vertx;
    private final Supplier<? extends Collection<? extends Departing>> connections;
    private final LongSupplier nanoClock;
    private final Duration window;
    private final DrainNotice notice;
    private final CompletableFuture<Report> done = new CompletableFuture<>();
    private volatile boolean draining;

    /** How a drain went: connections asked to leave, and when the first and the last were asked (ms after start). */
    public record Report(int connections, long firstMillis, long lastMillis, long tookMillis) {
    }

    /**
     * @param connections the connections held here, asked again at the end of the window for late arrivals
     * @param nanoClock   a monotonic clock in nanoseconds (System::nanoTime)
     */
    public Drainer(Vertx vertx, Supplier<? extends Collection<? extends Departing>> connections, Duration window, DrainNotice notice,
            LongSupplier nanoClock) {
        this.vertx = vertx;
        this.connections = connections;
        this.nanoClock = nanoClock;
        this.window = window;
        this.notice = notice;
    }

    public boolean isDraining() {
        return draining;
    }

    /** Wraps the CONNECT handler: while draining, a new connection is refused instead of accepted. */
    public Handler<MqttEndpoint> gate(Handler<MqttEndpoint> connectHandler) {
        return endpoint -> {
            if (!draining) {
                connectHandler.handle(endpoint);
                return;
            }
            boolean mqtt5 = endpoint.protocolVersion() == MqttVersion.MQTT_5.protocolLevel();
            endpoint.reject(notice.refusal(mqtt5), notice.refusalProperties(mqtt5));
        };
    }

    /**
     * Starts the drain (once) and returns when every connection held here has closed. Connections that were
     * still being accepted when the drain began are asked to leave when the window ends.
     */
    public synchronized CompletableFuture<Report> drain() {
        if (draining) {
            return done;
        }
        draining = true;
        List<Departing> sessions = new ArrayList<>(connections.get());
        Collections.shuffle(sessions); // no device is always the first or last to go
        DrainPlan plan = new DrainPlan(sessions.size(), window);
        LOG.infof("draining %d connections over %d ms (%s)", sessions.size(), window.toMillis(), notice.disconnectCode());
        new Run(sessions, plan).start();
        return done;
    }

    /** One drain: a periodic timer that asks the due sessions to leave. */
    private final class Run {
        private final List<Departing> sessions;
        private final DrainPlan plan;
        private final Set<Departing> asked = ConcurrentHashMap.newKeySet();
        private final List<CompletableFuture<Void>> closed = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger next = new AtomicInteger();
        private final long startNanos = nanoClock.getAsLong();
        private volatile long firstMillis = -1;
        private volatile long lastMillis = -1;

        Run(List<Departing> sessions, DrainPlan plan) {
            this.sessions = sessions;
            this.plan = plan;
        }

        void start() {
            long tick = Math.max(MIN_TICK_MILLIS, Math.min(MAX_TICK_MILLIS, plan.spacing().toMillis()));
            if (tick(null)) {
                finish();
                return;
            }
            vertx.setPeriodic(tick, id -> {
                if (tick(id)) {
                    finish();
                }
            });
        }

        /**
         * Asks every session that is due to leave; true once all planned sessions were asked and the window is over (at
         * once when none was planned: an idle gateway stops without waiting).
         */
        private boolean tick(Long timerId) {
            Duration elapsed = Duration.ofNanos(nanoClock.getAsLong() - startNanos);
            int due = plan.dueBy(elapsed);
            for (int i = next.get(); i < due; i = next.incrementAndGet()) {
                ask(sessions.get(i));
            }
            if (next.get() >= sessions.size() && (sessions.isEmpty() || elapsed.compareTo(window) >= 0)) {
                if (timerId != null) {
                    vertx.cancelTimer(timerId);
                }
                return true;
            }
            return false;
        }

        private void ask(Departing session) {
            if (!asked.add(session)) {
                return;
            }
            long at = elapsedMillis();
            if (firstMillis < 0) {
                firstMillis = at;
            }
            lastMillis = at;
            closed.add(session.leave(notice.disconnectCode(), notice.disconnectProperties()).toCompletableFuture());
        }

        /** Sessions accepted after the drain began go now; then wait for every socket to close. */
        private void finish() {
            connections.get().forEach(this::ask);
            CompletableFuture<?>[] all;
            synchronized (closed) {
                all = closed.toArray(CompletableFuture[]::new);
            }
            CompletableFuture.allOf(all).whenComplete((ok, error) -> {
                Report report = new Report(asked.size(), Math.max(0, firstMillis), Math.max(0, lastMillis), elapsedMillis());
                LOG.infof("drained %d connections: first asked at %d ms, last at %d ms, all closed after %d ms",
                        report.connections(), report.firstMillis(), report.lastMillis(), report.tookMillis());
                done.complete(report);
            });
        }

        private long elapsedMillis() {
            return (nanoClock.getAsLong() - startNanos) / 1_000_000;
        }
    }
}
