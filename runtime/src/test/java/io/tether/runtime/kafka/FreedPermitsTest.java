package io.tether.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The consumer loop's wait for permits: who wakes it, and that nothing else does. */
class FreedPermitsTest {
    private static final long LONG = Duration.ofMinutes(1).toNanos();
    private final Semaphore permits = new Semaphore(0);
    private final FreedPermits freed = new FreedPermits(permits);

    @Test
    void theReleaseThatMakesTheFreePermitsEnoughWakesTheWaiter() throws Exception {
        CountDownLatch registered = new CountDownLatch(1);
        CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() -> freed.await(2, System.nanoTime() + LONG, () -> {
            registered.countDown();
            return true;
        }));
        assertTrue(registered.await(10, TimeUnit.SECONDS));
        permits.release();
        freed.released(); // one free, two needed: the waiter stays registered (a wake-up would have taken it off)
        assertTrue(freed.hasWaiter());
        permits.release();
        freed.released();
        assertTrue(woken.get(10, TimeUnit.SECONDS), "woken before its deadline");
    }

    @Test
    void aWaitThatIsNoLongerNeededWhenRegisteredDoesNotPark() {
        assertFalse(freed.await(1, System.nanoTime() + LONG, () -> false));
    }

    @Test
    void withoutAReleaseTheWaitEndsAtItsDeadline() {
        assertFalse(freed.await(1, System.nanoTime() + Duration.ofMillis(20).toNanos(), () -> true));
    }

    @Test
    void zeroMeansAnyReleaseWakesTheWaiter() throws Exception {
        permits.release(5);
        CountDownLatch registered = new CountDownLatch(1);
        CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() -> freed.await(0, System.nanoTime() + LONG, () -> {
            registered.countDown();
            return true;
        }));
        assertTrue(registered.await(10, TimeUnit.SECONDS));
        freed.released();
        assertTrue(woken.get(10, TimeUnit.SECONDS));
    }
}
