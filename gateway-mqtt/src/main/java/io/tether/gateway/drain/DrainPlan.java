package io.tether.gateway.drain;

import java.time.Duration;

/**
 * When each of {@code n} connections leaves during a drain window: evenly spaced, the first at once and the last
 * one slot before the window ends, so devices reconnecting elsewhere arrive as a trickle rather than a thundering
 * herd. Pure arithmetic, no clock.
 */
public record DrainPlan(int connections, Duration window) {

    public DrainPlan {
        if (connections < 0) {
            throw new IllegalArgumentException("connections must not be negative");
        }
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative");
        }
    }

    /** How many connections should have been asked to leave once {@code elapsed} of the window has passed. */
    public int dueBy(Duration elapsed) {
        if (connections == 0) {
            return 0;
        }
        long windowMillis = window.toMillis();
        long elapsedMillis = Math.max(0, elapsed.toMillis());
        if (windowMillis == 0 || elapsedMillis >= windowMillis) {
            return connections;
        }
        // Connection i (0-based) is due at window * i / n.
        long due = elapsedMillis * connections / windowMillis + 1;
        return (int) Math.min(connections, due);
    }

    /** The time between two departures. */
    public Duration spacing() {
        return connections == 0 ? Duration.ZERO : window.dividedBy(connections);
    }
}
