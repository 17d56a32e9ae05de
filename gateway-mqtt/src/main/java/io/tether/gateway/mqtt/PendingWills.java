package io.tether.gateway.mqtt;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The wills this gateway holds back for their Will Delay Interval: at most one per device. A device whose connection
 * ends again before its will was due replaces the one waiting (the newer connection's will is the one that counts),
 * and a connection of the device accepted here drops it. So what they hold (payloads, for up to the longest session
 * expiry) is bounded by the devices, not by how often one drops and reconnects. A reconnect to another gateway is
 * found when the will is due ({@link DelayedWill} reads the device's newest connection in Redis).
 */
final class PendingWills {
    private final Vertx vertx;
    private final Map<String, Long> timers = new ConcurrentHashMap<>();

    PendingWills(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Runs {@code due} after {@code delayMillis} unless replaced or cancelled first; replaces the device's waiting one. */
    void hold(String deviceId, long delayMillis, Handler<Void> due) {
        timers.compute(deviceId, (id, waiting) -> {
            if (waiting != null) {
                vertx.cancelTimer(waiting);
            }
            // Its entry is removed before it runs; a timer that fires while compute still holds the entry waits for it.
            return vertx.setTimer(delayMillis, timer -> {
                if (timers.remove(deviceId, timer)) {
                    due.handle(null);
                }
            });
        });
    }

    /** A connection of the device was accepted here: its waiting will, if any, is not sent. */
    void cancel(String deviceId) {
        Long waiting = timers.remove(deviceId);
        if (waiting != null) {
            vertx.cancelTimer(waiting);
        }
    }

    /** Wills waiting (for tests). */
    int size() {
        return timers.size();
    }
}
