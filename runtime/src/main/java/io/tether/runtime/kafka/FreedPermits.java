package io.tether.runtime.kafka;

import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How {@link KeyedConsumer}'s loop waits, while it has nothing to fetch, for records in hand to finish: parked until
 * a finished record makes room for what it waits for, or until the next poll is due. A poll of paused partitions
 * would sleep out its whole timeout instead and leave the permits freed meanwhile unused.
 */
final class FreedPermits {
    /**
     * What the loop waits for: this many free permits (to resume fetching, or to start records held for want of
     * permits; {@link Integer#MAX_VALUE} for neither), or a record of one of these keys to finish (held records wait
     * behind them).
     */
    record Wake(int permits, Set<String> keys) {
    }

    private final Semaphore permits;
    private volatile Thread waiter;
    private volatile Wake wake;

    FreedPermits(Semaphore permits) {
        this.permits = permits;
    }

    /** A record of {@code key} finished and released its permit: wakes the loop if that is what it waits for. */
    void released(String key) {
        Thread loop = waiter;
        Wake awaited = wake;
        if (loop != null && awaited != null && (permits.availablePermits() >= awaited.permits() || awaited.keys().contains(key))) {
            waiter = null;
            LockSupport.unpark(loop);
        }
    }

    /**
     * Parks the caller until a record finishes that makes room for what {@code plan} says to wait for, or until
     * {@code deadlineNanos}. {@code plan} runs once the caller is registered (null: no wait is needed); {@code met}
     * then checks that what it waits for has not happened already, since a record that finished in between may have
     * seen the previous plan. True when it returned before the deadline: woken, or (rarely) a spurious return of
     * {@link LockSupport#parkNanos}; the caller checks again either way.
     */
    boolean await(long deadlineNanos, Supplier<Wake> plan, Predicate<Wake> met) {
        wake = null;
        waiter = Thread.currentThread();
        try {
            Wake awaited = plan.get();
            if (awaited == null) {
                return false;
            }
            wake = awaited;
            if (met.test(awaited)) {
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

    /** What the registered loop waits for, once its plan is published (tests). */
    Wake awaited() {
        return waiter == null ? null : wake;
    }
}
