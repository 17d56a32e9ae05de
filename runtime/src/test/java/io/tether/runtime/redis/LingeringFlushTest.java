package io.tether.runtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class LingeringFlushTest {
    /** Runs nothing by itself: the test runs what was scheduled when it chooses, and reads the delays asked for. */
    private static final class ManualTimer extends ScheduledThreadPoolExecutor {
        final List<Runnable> tasks = new ArrayList<>();
        final List<Long> delays = new ArrayList<>();

        ManualTimer() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            tasks.add(task);
            delays.add(unit.toMillis(delay));
            return null;
        }

        void runAll() {
            List<Runnable> due = new ArrayList<>(tasks);
            tasks.clear();
            due.forEach(Runnable::run);
        }
    }

    @Test
    void commandsIssuedBeforeTheFlushShareOneFlushScheduledAfterTheLinger() {
        ManualTimer timer = new ManualTimer();
        AtomicInteger flushes = new AtomicInteger();
        LingeringFlush linger = new LingeringFlush(flushes::incrementAndGet, Duration.ofMillis(10), timer, () -> 0L);

        linger.issued();
        linger.issued();
        linger.issued();
        assertEquals(List.of(10L), timer.delays, "one flush scheduled, at the end of the period (10 ms out)");
        assertEquals(0, flushes.get(), "nothing flushed before the linger");

        timer.runAll();
        assertEquals(1, flushes.get());
    }

    @Test
    void aCommandIssuedIntoAPeriodIsFlushedAtItsEndAsAFixedTimerWould() {
        ManualTimer timer = new ManualTimer();
        long[] now = {TimeUnit.MILLISECONDS.toNanos(1_003)};
        LingeringFlush linger = new LingeringFlush(() -> { }, Duration.ofMillis(10), timer, () -> now[0]);

        linger.issued();
        timer.runAll();
        now[0] = TimeUnit.MILLISECONDS.toNanos(1_019);
        linger.issued();
        assertEquals(List.of(7L, 1L), timer.delays, "3 ms into a period: 7 ms out; 9 ms into the next: 1 ms out");
    }

    @Test
    void aCommandAfterAFlushSchedulesTheNextAndAnIdleConnectionSchedulesNothing() {
        ManualTimer timer = new ManualTimer();
        AtomicInteger flushes = new AtomicInteger();
        LingeringFlush linger = new LingeringFlush(flushes::incrementAndGet, Duration.ofMillis(10), timer, () -> 0L);

        linger.issued();
        timer.runAll();
        assertEquals(0, timer.tasks.size(), "idle after the flush: nothing scheduled");

        linger.issued();
        assertEquals(1, timer.tasks.size(), "the next command schedules the next flush");
        timer.runAll();
        assertEquals(2, flushes.get());
    }

    @Test
    void aCommandIssuedWhileTheFlushRunsIsNotStranded() {
        ManualTimer timer = new ManualTimer();
        AtomicInteger flushes = new AtomicInteger();
        LingeringFlush[] holder = new LingeringFlush[1];
        // The flush itself sees a command arrive (another thread, in production): it must schedule another flush.
        holder[0] = new LingeringFlush(() -> {
            if (flushes.incrementAndGet() == 1) {
                holder[0].issued();
            }
        }, Duration.ofMillis(10), timer, () -> 0L);

        holder[0].issued();
        timer.runAll();
        assertEquals(1, timer.tasks.size(), "the command issued during the flush has a flush of its own");
        timer.runAll();
        assertEquals(2, flushes.get());
    }

    @Test
    void withARealSchedulerAnIssuedCommandIsFlushed() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger flushes = new AtomicInteger();
            new LingeringFlush(flushes::incrementAndGet, Duration.ofMillis(5), scheduler, System::nanoTime).issued();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> flushes.get() == 1);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
