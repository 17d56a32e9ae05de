package io.tether.bench.measure;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** A fixed measurement window (idle CPU over a few seconds, memory after writes settled), not a wait for a condition. */
public final class Pause {
    private Pause() {
    }

    public static void of(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(left);
        }
    }
}
