package io.tether.gateway.mqtt;

/** A token bucket per connection: {@code perSecond} sustained, {@code burst} at once. Used on one event loop only. */
final class PublishLimiter {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    PublishLimiter(int perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.last = System.nanoTime();
    }

    boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
