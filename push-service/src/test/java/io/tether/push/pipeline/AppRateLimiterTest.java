package io.tether.push.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.push.apns.ApnsApp;
import io.tether.push.apns.ApnsCredentials;
import io.tether.push.apns.ApnsEnvironment;
import com.eatthepath.pushy.apns.PushType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-app token bucket with a clock and scheduler the test moves by hand. */
class AppRateLimiterTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong();
    private final List<Runnable> scheduled = new ArrayList<>();
    private final List<Long> delays = new ArrayList<>();
    private final AppRateLimiter limiter = new AppRateLimiter(now::get, (task, delay) -> {
        scheduled.add(task);
        delays.add(delay);
    });

    @Test
    void appWithoutALimitNeverWaits() {
        ApnsApp app = app(null);
        for (int i = 0; i < 100; i++) {
            assertTrue(limiter.acquire(app).toCompletableFuture().isDone());
        }
        assertTrue(scheduled.isEmpty());
    }

    @Test
    void excessWaitsInOrderAndNothingIsDropped() {
        ApnsApp app = app(new ApnsApp.RateLimit(2, 2));
        List<CompletableFuture<Void>> turns = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            turns.add(limiter.acquire(app).toCompletableFuture());
        }
        assertEquals(List.of(true, true, false, false, false, false), turns.stream().map(CompletableFuture::isDone).toList(),
                "the burst goes at once");
        assertEquals(4, limiter.waiting("com.example.limited"));
        assertEquals(SECOND / 2, delays.get(0), "the next token comes in half a second");

        now.addAndGet(SECOND / 2);
        runScheduled();
        assertEquals(List.of(true, true, true, false, false, false), turns.stream().map(CompletableFuture::isDone).toList());

        for (int second = 0; second < 2; second++) {
            now.addAndGet(SECOND);
            runScheduled();
        }
        assertTrue(turns.stream().allMatch(CompletableFuture::isDone), "every send goes in the end, two a second");
        assertEquals(0, limiter.waiting("com.example.limited"));
    }

    @Test
    void aNewcomerWaitsBehindTheQueueEvenWhenATokenIsBack() {
        ApnsApp app = app(new ApnsApp.RateLimit(1, 1));
        CompletableFuture<Void> first = limiter.acquire(app).toCompletableFuture();
        CompletableFuture<Void> second = limiter.acquire(app).toCompletableFuture();
        now.addAndGet(SECOND);
        CompletableFuture<Void> third = limiter.acquire(app).toCompletableFuture();
        assertTrue(first.isDone());
        assertTrue(!second.isDone() && !third.isDone(), "the token goes to the one waiting longest");
        runScheduled();
        assertTrue(second.isDone());
        assertTrue(!third.isDone());
    }

    private void runScheduled() {
        while (!scheduled.isEmpty()) {
            Runnable task = scheduled.remove(0);
            delays.remove(0);
            task.run();
            if (!scheduled.isEmpty() && delays.get(0) > 0) {
                return; // waits for the clock
            }
        }
    }

    private static ApnsApp app(ApnsApp.RateLimit limit) {
        return new ApnsApp("limited", "com.example.limited", new ApnsCredentials.SigningKey(Path.of("k.p8"), "T", "K"),
                EnumSet.allOf(ApnsEnvironment.class), EnumSet.allOf(PushType.class), limit);
    }
}
