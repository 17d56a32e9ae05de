package io.tether.bench.stack;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition with a deadline. */
public final class Await {
    private Await() {
    }

    /** True once {@code condition} holds; false when {@code timeout} passed first. */
    public static boolean until(Duration timeout, Duration interval, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, interval.toNanos()));
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
    }

    /** Parks the calling thread for {@code duration} (the load generator's pacing, not a test wait). */
    public static void pause(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(left);
        }
    }
}
