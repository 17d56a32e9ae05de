package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A keepalive the gateway set: the connection ends after 1.5 × it without traffic, not before. */
class KeepAliveWatchTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final Map<Long, Runnable> timers = new LinkedHashMap<>();
    private final Map<Long, Long> delays = new LinkedHashMap<>();
    private final AtomicInteger expired = new AtomicInteger();
    private long nextId;

    private final KeepAliveWatch watch = new KeepAliveWatch(new KeepAliveWatch.Timers() {
        @Override
        public long setTimer(long delayMillis, Runnable action) {
            timers.put(++nextId, action);
            delays.put(nextId, delayMillis);
            return nextId;
        }

        @Override
        public void cancelTimer(long id) {
            timers.remove(id);
        }
    }, now::get, 10, expired::incrementAndGet);

    /** Moves the clock to the armed timer's time and fires it. */
    private void fireNext() {
        long id = timers.keySet().iterator().next();
        Runnable action = timers.remove(id);
        action.run();
    }

    @Test
    void silenceForOneAndAHalfKeepalivesEndsTheConnection() {
        watch.start();
        assertEquals(15_000L, delays.get(1L));

        now.addAndGet(15_000);
        fireNext();

        assertEquals(1, expired.get());
    }

    @Test
    void trafficPushesTheDeadlineBackByWhatWasHeard() {
        watch.start();
        now.addAndGet(10_000);
        watch.seen();
        now.addAndGet(5_000);

        fireNext();
        assertEquals(0, expired.get());
        assertEquals(10_000L, delays.get(2L), "re-armed for the rest of the limit after the last packet");

        now.addAndGet(10_000);
        fireNext();
        assertEquals(1, expired.get());
    }

    @Test
    void aStoppedWatchNeverEndsTheConnection() {
        watch.start();
        watch.stop();
        assertEquals(0, timers.size());
    }
}
