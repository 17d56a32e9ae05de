package io.tether.runtime.limit;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a source stands after its failed authentications (times in epoch ms; 0 when none).
 *
 * @param failures     failures counted in the current window
 * @param blockedUntil until when it must wait before it is heard again
 * @param bannedUntil  until when it is banned
 */
public record Standing(long failures, long blockedUntil, long bannedUntil) {
    public static final Standing CLEAN = new Standing(0, 0, 0);

    public boolean bannedAt(long nowMillis) {
        return bannedUntil > nowMillis;
    }

    /** The longer of both: the most failures, the latest ends of wait and ban. */
    public Standing or(Standing other) {
        return new Standing(Math.max(failures, other.failures), Math.max(blockedUntil, other.blockedUntil),
                Math.max(bannedUntil, other.bannedUntil));
    }

    /** How long the source must still wait (a ban included), if at all. */
    public Optional<Duration> waitAt(long nowMillis) {
        long until = Math.max(blockedUntil, bannedUntil);
        return until > nowMillis ? Optional.of(Duration.ofMillis(until - nowMillis)) : Optional.empty();
    }
}
