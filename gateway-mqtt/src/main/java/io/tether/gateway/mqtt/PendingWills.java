package io.tether.gateway.mqtt;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The wills this gateway holds back for their Will Delay Interval: at most one per device. A device whose connection
 * ends again before its will was due replaces the one waiting (the newer connection's will is the one that counts),
 * and a connection of the device accepted here settles it: dropped when it resumed the session, sent at once when it
 * began a new one (the will's session ended). So what they hold (payloads, for up to the longest session expiry) is
 * bounded by the devices, not by how often one drops and reconnects. A reconnect to another gateway is found when the
 * will is due ({@link DelayedWill} reads the device's newest connection in Redis).
 */
final class PendingWills {
    private final Vertx vertx;
    private final Map<String, Waiting> timers = new ConcurrentHashMap<>();

    /** A will's timer, and what sends it at once. */
    private record Waiting(long timer, Runnable sessionEnded) {
    }

    PendingWills(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Runs {@code due} after {@code delayMillis}, or {@code sessionEnded} when {@link #sessionEnded} comes first, unless
     * replaced or {@link #resumed} first; replaces the device's waiting one.
     */
    void hold(String deviceId, long delayMillis, Handler<Void> due, Runnable sessionEnded) {
        timers.compute(deviceId, (id, waiting) -> {
            if (waiting != null) {
                vertx.cancelTimer(waiting.timer());
            }
            // Its entry is removed before it runs; a timer that fires while compute still holds the entry waits for it
            // (computeIfPresent takes the same lock; a plain get would not wait, and would miss its own entry).
            long timer = vertx.setTimer(delayMillis, fired -> {
                boolean[] mine = new boolean[1];
                timers.computeIfPresent(deviceId, (key, entry) -> {
                    mine[0] = entry.timer() == fired;
                    return mine[0] ? null : entry;
                });
                if (mine[0]) {
                    due.handle(null);
                }
            });
            return new Waiting(timer, sessionEnded);
        });
    }

    /** A connection of the device that resumed its session was accepted here: its waiting will, if any, is not sent. */
    void resumed(String deviceId) {
        Waiting waiting = timers.remove(deviceId);
        if (waiting != null) {
            vertx.cancelTimer(waiting.timer());
        }
    }

    /** A connection of the device with a new session was accepted here: its waiting will, if any, is sent now. */
    void sessionEnded(String deviceId) {
        Waiting waiting = timers.remove(deviceId);
        if (waiting != null) {
            vertx.cancelTimer(waiting.timer());
            waiting.sessionEnded().run();
        }
    }

    /** Wills waiting (for tests). */
    int size() {
        return timers.size();
    }
}
