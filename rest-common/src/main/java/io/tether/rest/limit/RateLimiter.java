package io.tether.rest.limit;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller, in this instance's memory: {@code burst} requests at once, refilled at
 * {@code perSecond}. With n instances behind a balancer a caller gets up to n times the rate; that is the
 * price of not asking Redis on every request. Callers are only ever authenticated ones, so the number of
 * buckets is bounded by the number of keys and devices that call; idle (full) buckets are dropped when
 * there are many.
 */
public final class RateLimiter {
    private static final int TIDY_ABOVE = 10_000;

    private final boolean enabled;
    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        this(true, perSecond, burst, nanoTime);
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate limit needs per-second > 0 and burst >= 1");
        }
    }

    private RateLimiter(boolean enabled, double perSecond, int burst, LongSupplier nanoTime) {
        this.enabled = enabled;
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** A limiter that allows everything. */
    public static RateLimiter unlimited() {
        return new RateLimiter(false, 1, 1, System::nanoTime);
    }

    /** Takes one token from the caller's bucket: empty when allowed, else how long until a token is there. */
    public Optional<Duration> tryAcquire(String caller) {
        if (!enabled) {
            return Optional.empty();
        }
        long now = nanoTime.getAsLong();
        if (buckets.size() > TIDY_ABOVE) {
            buckets.values().removeIf(bucket -> bucket.isFull(now));
        }
        return buckets.computeIfAbsent(caller, c -> new Bucket(now)).take(now);
    }

    private final class Bucket {
        private double tokens;
        private long updatedNanos;

        Bucket(long now) {
            this.tokens = burst;
            this.updatedNanos = now;
        }

        synchronized Optional<Duration> take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return Optional.empty();
            }
            long waitNanos = (long) Math.ceil((1 - tokens) / perNano);
            return Optional.of(Duration.ofNanos(waitNanos));
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            long elapsed = now - updatedNanos;
            if (elapsed > 0) {
                tokens = Math.min(burst, tokens + elapsed * perNano);
                updatedNanos = now;
            }
        }
    }
}
