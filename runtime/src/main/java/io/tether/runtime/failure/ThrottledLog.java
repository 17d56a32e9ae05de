package io.tether.runtime.failure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * A WARN line for a failure that comes with every event during an outage (each PUBLISH while Kafka is down, each
 * CONNECT or request while Redis is), written at most once per interval: the first at once, so the outage shows when
 * it starts, then one per interval, saying how many like it were not logged (those counted since the line before,
 * including any that came at the same instant as this one). An outage of any length costs a line per interval
 * instead of one per event, and no event goes uncounted; metrics count them too. Lock-free, so it may run on an
 * event loop.
 */
public final class ThrottledLog {
    private final Consumer<String> sink;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextAt;
    private final AtomicLong leftOut = new AtomicLong();

    /** @param nanoClock {@link System#nanoTime()} or a test's clock */
    public ThrottledLog(Consumer<String> sink, Duration interval, LongSupplier nanoClock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the interval must be positive");
        }
        this.sink = sink;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.nextAt = new AtomicLong(nanoClock.getAsLong());
    }

    /** WARN lines of {@code log}, at most one per {@code interval}. */
    public static ThrottledLog warnings(Logger log, Duration interval) {
        return new ThrottledLog(log::warn, interval, System::nanoTime);
    }

    /** Writes the line ({@link String#format} of {@code format}) unless one was written less than the interval ago. */
    public void warnf(String format, Object... params) {
        long now = nanoClock.getAsLong();
        long next = nextAt.get();
        // Only the caller that moves the deadline on writes; the others of the same instant are left out.
        if (now - next < 0 || !nextAt.compareAndSet(next, now + intervalNanos)) {
            leftOut.incrementAndGet();
            return;
        }
        String line = String.format(format, params);
        long skipped = leftOut.getAndSet(0);
        sink.accept(skipped == 0 ? line : line + " (and " + skipped + " more like it not logged)");
    }
}
