package io.tether.bench.scenario;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Open-loop pacing: message i is due at start + i / rate, whatever happened to earlier ones, and its due time is what
 * latency counts from (so a stalled system cannot hide its queueing delay: no coordinated omission).
 */
final class Paced {
    /** Sends message {@code seq}, due at {@code dueNanos} (System.nanoTime). */
    interface Send {
        void send(long seq, long dueNanos);
    }

    private Paced() {
    }

    /**
     * Sends {@code rate × duration} messages (or until {@code stop} says so); returns how many were sent. Runs on the
     * calling thread, waking every 200 µs.
     */
    static long run(int rate, Duration duration, Send send, BooleanSupplier stop) {
        long total = (long) rate * duration.toMillis() / 1000;
        return run(rate, total, send, stop);
    }

    static long run(int rate, long total, Send send, BooleanSupplier stop) {
        double interval = 1e9 / rate;
        long start = System.nanoTime();
        long sent = 0;
        while (sent < total && !stop.getAsBoolean()) {
            long now = System.nanoTime();
            long due = Math.min(total, (long) ((now - start) / interval) + 1);
            while (sent < due) {
                send.send(sent, start + (long) (sent * interval));
                sent++;
            }
            LockSupport.parkNanos(200_000);
        }
        return sent;
    }
}
