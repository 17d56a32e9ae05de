package io.tether.push.pipeline;

import io.tether.push.apns.ApnsApp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-app limits on notifications sent to APNs: a token bucket per app, and a queue in arrival order for what
 * exceeds it. Nothing is dropped: a send waits its turn (the request keeps its in-flight permit meanwhile, so a
 * long queue pauses consumption of {@code tether.push} rather than growing without bound). Never blocks a thread:
 * waiters complete from the scheduler when tokens come back.
 */
public final class AppRateLimiter {
    /** Runs a task after a delay in nanoseconds (a ScheduledExecutorService in production). */
    public interface Scheduler {
        void schedule(Runnable task, long delayNanos);
    }

    private final LongSupplier nanoTime;
    private final Scheduler scheduler;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public AppRateLimiter(LongSupplier nanoTime, Scheduler scheduler) {
        this.nanoTime = nanoTime;
        this.scheduler = scheduler;
    }

    /** Completes when a notification of the app may go; at once when the app has no limit or tokens are left. */
    public CompletionStage<Void> acquire(ApnsApp app) {
        if (app.rateLimit() == null) {
            return CompletableFuture.completedFuture(null);
        }
        return buckets.computeIfAbsent(app.bundleId(), b -> new Bucket(app.rateLimit())).acquire();
    }

    /** Sends waiting for the app's limit now. */
    public int waiting(String bundleId) {
        Bucket bucket = buckets.get(bundleId);
        return bucket == null ? 0 : bucket.waiting();
    }

    private final class Bucket {
        private final double perNano;
        private final int burst;
        private final Deque<CompletableFuture<Void>> queue = new ArrayDeque<>();
        private double tokens;
        private long refilledAt;
        private boolean drainScheduled;

        Bucket(ApnsApp.RateLimit limit) {
            this.perNano = limit.perSecond() / 1e9;
            this.burst = limit.burst();
            this.tokens = limit.burst();
            this.refilledAt = nanoTime.getAsLong();
        }

        CompletionStage<Void> acquire() {
            synchronized (this) {
                refill();
                if (queue.isEmpty() && tokens >= 1) {
                    tokens -= 1;
                    return CompletableFuture.completedFuture(null);
                }
                CompletableFuture<Void> turn = new CompletableFuture<>();
                queue.addLast(turn);
                scheduleDrain();
                return turn;
            }
        }

        synchronized int waiting() {
            return queue.size();
        }

        private void drain() {
            List<CompletableFuture<Void>> released = new ArrayList<>();
            synchronized (this) {
                drainScheduled = false;
                refill();
                while (tokens >= 1 && !queue.isEmpty()) {
                    tokens -= 1;
                    released.add(queue.pollFirst());
                }
                if (!queue.isEmpty()) {
                    scheduleDrain();
                }
            }
            // Outside the lock: completing runs the sends.
            released.forEach(turn -> turn.complete(null));
        }

        /** Called holding the lock. */
        private void scheduleDrain() {
            if (drainScheduled) {
                return;
            }
            drainScheduled = true;
            long delay = (long) Math.ceil((1 - tokens) / perNano);
            scheduler.schedule(this::drain, Math.max(0, delay));
        }

        /** Called holding the lock. */
        private void refill() {
            long now = nanoTime.getAsLong();
            tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
            refilledAt = now;
        }
    }
}
