package io.tether.runtime.kafka;

import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How {@link KeyedConsumer}'s loop waits, while it has nothing to fetch, for records in hand to finish: parked until
 * enough permits are free or the next poll is due, woken by the record whose permit makes them enough. A poll of
 * paused partitions would sleep out its whole timeout instead and leave the permits freed meanwhile unused.
 */
final class FreedPermits {
    private final Semaphore permits;
    private volatile Thread waiter;
    private volatile int wakeAt;

    FreedPermits(Semaphore permits) {
        this.permits = permits;
    }

    /** A record finished and released its permit: wakes the waiting loop if the free permits are now enough. */
    void released() {
        Thread loop = waiter;
        if (loop != null && permits.availablePermits() >= wakeAt) {
            waiter = null;
            LockSupport.unpark(loop);
        }
    }

    /**
     * Parks the caller until {@code wakeAt} permits are free (0: the next record that finishes) or until
     * {@code deadlineNanos}. {@code stillNeeded} runs once the caller is registered, so a record that finished just
     * before is not missed: false skips the wait. True when woken before the deadline.
     */
    boolean await(int wakeAt, long deadlineNanos, BooleanSupplier stillNeeded) {
        this.wakeAt = wakeAt;
        waiter = Thread.currentThread();
        try {
            if (!stillNeeded.getAsBoolean()) {
                return false;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(this, left);
        } finally {
            waiter = null;
        }
        return deadlineNanos - System.nanoTime() > 0;
    }

    /** A loop is registered and not yet woken (tests). */
    boolean hasWaiter() {
        return waiter != null;
    }
}
