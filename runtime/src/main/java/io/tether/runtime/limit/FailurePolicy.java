package io.tether.runtime.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a source that keeps failing to authenticate is slowed down: the first {@code free} failures cost nothing, then
 * each one makes the source wait, {@code firstWait} doubling up to {@code maxWait}; with a {@code ban}, the failure
 * after {@code banAfter} bans the source for that long. A count lives {@code window} after the last failure.
 *
 * @param free      failures without a wait
 * @param firstWait the wait after the first failure beyond {@code free}
 * @param maxWait   the longest wait
 * @param banAfter  failures after which the next one bans (0: never banned)
 * @param ban       how long a ban lasts
 * @param window    how long failures are remembered after the last one
 */
public record FailurePolicy(int free, Duration firstWait, Duration maxWait, int banAfter, Duration ban, Duration window) {

    public FailurePolicy {
        if (free < 0 || firstWait.isNegative() || maxWait.compareTo(firstWait) < 0 || banAfter < 0 || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("invalid failure policy");
        }
        if (banAfter > 0 && (banAfter <= free || ban.isZero() || ban.isNegative())) {
            throw new IllegalArgumentException("a ban needs ban-after above the free failures and a ban length");
        }
    }

    public boolean bans() {
        return banAfter > 0;
    }

    /** The wait after the {@code failures}-th failure (1-based). */
    public Duration waitAfter(int failures) {
        if (failures <= free) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - free - 1, 30);
        long millis = firstWait.toMillis() << doublings;
        return millis <= 0 || millis > maxWait.toMillis() ? maxWait : Duration.ofMillis(millis);
    }

    /**
     * The waits after failure 1, 2, ... as the script takes them: up to {@code banAfter} with a ban (the next failure
     * bans), else up to the first failure that waits {@code maxWait} (it repeats from there).
     */
    List<String> schedule() {
        List<String> out = new ArrayList<>();
        for (int n = 1; bans() ? n <= banAfter : n == 1 || !waitAfter(n - 1).equals(maxWait); n++) {
            out.add(Long.toString(waitAfter(n).toMillis()));
        }
        return out;
    }
}
