package io.tether.gateway.mqtt;

import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import java.util.function.LongSupplier;

/**
 * Enforces a keepalive the gateway set itself (Server Keep Alive): the connection closes when nothing came from the
 * client for 1.5 × keepalive (MQTT 5 §3.1.2.10). Vert.x enforces only the keepalive the client asked for, so a capped
 * one is watched here. One timer at a time, re-armed lazily: traffic only stamps the time. Event-loop confined.
 */
final class KeepAliveWatch {

    /** Timers as the watch uses them (Vert.x in production, hand-operated in tests). */
    interface Timers {
        long setTimer(long delayMillis, Runnable action);

        void cancelTimer(long id);
    }

    /** Timers that never fire: a watch on them never expires. */
    private static final Timers NONE = new Timers() {
        @Override
        public long setTimer(long delayMillis, Runnable action) {
            return -1;
        }

        @Override
        public void cancelTimer(long id) {
        }
    };

    private final Timers timers;
    private final LongSupplier clock;
    private final long limitMillis;
    private final Runnable expired;
    private long lastSeen;
    private long timer = -1;
    private boolean stopped;

    /**
     * The watch a connection needs: one that disconnects it (0x8D) when the gateway capped its keepalive, else one that
     * never fires (Vert.x enforces the keepalive the client asked for).
     */
    static KeepAliveWatch forConnection(io.vertx.core.Vertx vertx, SessionTerms terms, ConnectionControl control) {
        if (!terms.keepAliveCapped()) {
            return new KeepAliveWatch(NONE, () -> 0, terms.keepAliveSeconds(), () -> {
            });
        }
        return onVertx(vertx, terms.keepAliveSeconds(), () -> control.disconnect(MqttDisconnectReasonCode.KEEP_ALIVE_TIMEOUT,
                "keepalive", "nothing received within 1.5 × the keepalive"));
    }

    /** A watch on Vert.x timers and the wall clock. */
    static KeepAliveWatch onVertx(io.vertx.core.Vertx vertx, int keepAliveSeconds, Runnable expired) {
        return new KeepAliveWatch(new Timers() {
            @Override
            public long setTimer(long delayMillis, Runnable action) {
                return vertx.setTimer(delayMillis, id -> action.run());
            }

            @Override
            public void cancelTimer(long id) {
                vertx.cancelTimer(id);
            }
        }, System::currentTimeMillis, keepAliveSeconds, expired);
    }

    /** @param keepAliveSeconds the keepalive in force; the limit is one and a half times it */
    KeepAliveWatch(Timers timers, LongSupplier clock, int keepAliveSeconds, Runnable expired) {
        this.timers = timers;
        this.clock = clock;
        this.limitMillis = keepAliveSeconds * 1500L;
        this.expired = expired;
    }

    void start() {
        lastSeen = clock.getAsLong();
        arm(limitMillis);
    }

    /** Something came from the client. */
    void seen() {
        lastSeen = clock.getAsLong();
    }

    void stop() {
        stopped = true;
        if (timer >= 0) {
            timers.cancelTimer(timer);
        }
    }

    private void arm(long delay) {
        timer = timers.setTimer(delay, this::check);
    }

    private void check() {
        if (stopped) {
            return;
        }
        long quiet = clock.getAsLong() - lastSeen;
        if (quiet >= limitMillis) {
            stopped = true;
            expired.run();
        } else {
            arm(limitMillis - quiet);
        }
    }
}
