package io.tether.runtime.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Commands on a connection go out together, at the end of the {@code linger}-long period they were issued in, instead
 * of one write each: Redis then runs them in one pass and writes what they publish together, so the processes behind
 * it wake once for several. Under load this flushes every {@code linger} like a fixed timer (a command waits half a
 * period on average, not a whole one); the first command after a flush schedules the next, so an idle connection
 * schedules nothing. Callers issue a command, then call {@link #issued()}.
 */
public final class LingeringFlush {
    private final Runnable flush;
    private final long lingerNanos;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoClock;
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /** @param nanoClock a monotonic clock ({@link System#nanoTime}) whose multiples of {@code linger} end the periods */
    public LingeringFlush(Runnable flush, Duration linger, ScheduledExecutorService timer, LongSupplier nanoClock) {
        this.flush = flush;
        this.lingerNanos = linger.toNanos();
        this.timer = timer;
        this.nanoClock = nanoClock;
    }

    /** Turns the connection's automatic flushing off and flushes it at the end of each period a command was issued in. */
    public static LingeringFlush on(StatefulRedisConnection<?, ?> connection, Duration linger, ScheduledExecutorService timer) {
        connection.setAutoFlushCommands(false);
        return new LingeringFlush(connection::flushCommands, linger, timer, System::nanoTime);
    }

    /** A command was issued: it goes out with the next flush, scheduled now unless one is pending. */
    public void issued() {
        if (scheduled.compareAndSet(false, true)) {
            long intoPeriod = Math.floorMod(nanoClock.getAsLong(), lingerNanos);
            timer.schedule(this::flushNow, lingerNanos - intoPeriod, TimeUnit.NANOSECONDS);
        }
    }

    private void flushNow() {
        // Cleared before the flush: a command issued meanwhile either goes out with this flush or schedules the next,
        // never waits for nothing.
        scheduled.set(false);
        flush.run();
    }
}
