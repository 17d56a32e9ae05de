package io.tether.runtime.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The consumer loop's wait for room: who wakes it, and that others do not. */
class FreedPermitsTest {
    private static final long LONG = Duration.ofMinutes(1).toNanos();
    private final Semaphore permits = new Semaphore(0);
    private final FreedPermits freed = new FreedPermits(permits);

    /**
     * Waits in another thread for {@code awaited}; returns once the waiter has published its plan (a release before that
     * is what the loop's own check after publishing catches, which this test's check does not model).
     */
    private CompletableFuture<Boolean> waitFor(FreedPermits.Wake awaited) {
        CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() -> freed.await(System.nanoTime() + LONG, () -> awaited,
                wake -> false));
        await().atMost(Duration.ofSeconds(10)).until(() -> freed.awaited() == awaited);
        return woken;
    }

    @Test
    void theReleaseThatMakesTheFreePermitsEnoughWakesTheWaiter() throws Exception {
        CompletableFuture<Boolean> woken = waitFor(new FreedPermits.Wake(2, Set.of()));
        permits.release();
        freed.released("a"); // one free, two needed: the waiter stays registered (a wake-up takes it off)
        assertTrue(freed.hasWaiter());
        permits.release();
        freed.released("a");
        assertTrue(woken.get(10, TimeUnit.SECONDS), "returned before its deadline");
        assertFalse(freed.hasWaiter());
    }

    @Test
    void aRecordOfAnAwaitedKeyWakesTheWaiterAndOthersDoNot() throws Exception {
        permits.release(5); // free permits do not count: the plan asks for none
        CompletableFuture<Boolean> woken = waitFor(new FreedPermits.Wake(Integer.MAX_VALUE, Set.of("hot")));
        freed.released("cold");
        assertTrue(freed.hasWaiter());
        freed.released("hot");
        assertTrue(woken.get(10, TimeUnit.SECONDS));
    }

    @Test
    void noWaitWhenThePlanSaysNoneIsNeededOrWhatItAwaitsHasHappened() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertFalse(freed.await(System.nanoTime() + LONG, () -> null, wake -> false));
            assertFalse(freed.await(System.nanoTime() + LONG, () -> new FreedPermits.Wake(1, Set.of()), wake -> true));
        });
    }

    @Test
    void withoutAReleaseTheWaitEndsAtItsDeadline() {
        assertFalse(freed.await(System.nanoTime() + Duration.ofMillis(20).toNanos(), () -> new FreedPermits.Wake(1, Set.of()),
                wake -> false));
    }
}
