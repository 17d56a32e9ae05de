package io.tether.runtime.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottledLogTest {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ThrottledLog log = new ThrottledLog(lines::add, Duration.ofSeconds(10), now::get);

    @Test
    void theFirstFailureIsWrittenAtOnce() {
        log.warnf("connect of %s failed: %s", "dev-1", "timeout");

        assertEquals(List.of("connect of dev-1 failed: timeout"), lines);
    }

    @Test
    void failuresWithinTheIntervalAreLeftOutAndCountedOnTheNextLine() {
        log.warnf("failure %d", 1);
        for (int i = 2; i <= 500; i++) {
            now.addAndGet(Duration.ofMillis(10).toNanos());
            log.warnf("failure %d", i);
        }
        assertEquals(List.of("failure 1"), lines, "4.99 s of failures: one line");

        now.addAndGet(Duration.ofMillis(5_010).toNanos()); // 10 s after the first line
        log.warnf("failure %d", 501);

        assertEquals(List.of("failure 1", "failure 501 (and 499 more like it not logged)"), lines);
    }

    @Test
    void afterAQuietIntervalTheNextFailureIsWrittenWithoutACount() {
        log.warnf("a");
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        log.warnf("b");

        assertEquals(List.of("a", "b"), lines);
    }

    @Test
    void concurrentFailuresOfOneInstantGiveOneLineAndEveryOneIsCounted() throws Exception {
        int threads = 8;
        int each = 1_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        log.warnf("x");
                    }
                });
            }
            start.countDown();
        } finally {
            pool.shutdown();
        }
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "the writers finished");
        assertEquals(1, lines.size(), "one line for the burst: " + lines);

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        log.warnf("y");
        // Those that lost the race to the first line may be counted on it or on the next one, never on neither.
        assertEquals(2, lines.size());
        assertEquals(threads * each + 1, lines.stream().mapToLong(ThrottledLogTest::represented).sum());
    }

    /** How many failures a line stands for: itself and those it says were not logged. */
    private static long represented(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(and (\\d+) more like it not logged\\)$").matcher(line);
        return 1 + (m.find() ? Long.parseLong(m.group(1)) : 0);
    }

    @Test
    void anIntervalMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ThrottledLog(lines::add, Duration.ZERO, now::get));
    }
}
