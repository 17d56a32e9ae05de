package io.tether.gateway.mqtt;

import java.time.Duration;

/**
 * What a CONNECT asked of its session and keepalive, and what this gateway grants (MQTT 5 §3.1.2.4, §3.1.2.10-11,
 * §3.2.2.3.2 and .14; MQTT 3.1.1 §3.1.2.4):
 * <ul>
 * <li>MQTT 5: the session is kept for the Session Expiry Interval the client asked (absent: 0, the session ends with the
 * connection; 0xFFFFFFFF: never), capped to the gateway's maximum; a capped value is announced in CONNACK.</li>
 * <li>MQTT 3.1.1: clean session off keeps the session for the gateway's maximum (3.1.1 has no expiry to ask for); clean
 * session on ends it with the connection.</li>
 * <li>A session that ends with its connection is not stored at all, and a clean start discards what was stored.</li>
 * <li>MQTT 5 keepalive above the gateway's maximum, or 0 (none), is replaced by the maximum (Server Keep Alive) and
 * enforced; MQTT 3.1.1 cannot be told, so its keepalive is taken as asked.</li>
 * </ul>
 *
 * @param expiry           how long the session is kept after the connection ends
 * @param expiryAnnounced  the granted expiry differs from the asked one: CONNACK carries it
 * @param keepAliveSeconds the keepalive in force (0: none)
 * @param keepAliveCapped  the gateway replaced the client's keepalive: CONNACK carries Server Keep Alive, and the
 *                         gateway enforces it itself
 */
public record SessionTerms(boolean mqtt5, boolean cleanStart, Duration expiry, boolean expiryAnnounced, int keepAliveSeconds,
        boolean keepAliveCapped) {

    /** MQTT 5's "never expires". */
    static final long NEVER = 0xFFFF_FFFFL;

    /**
     * @param requestedExpiry the MQTT 5 Session Expiry Interval in seconds, or null when absent (or MQTT 3.1.1)
     */
    static SessionTerms of(boolean mqtt5, boolean cleanStart, Long requestedExpiry, int keepAlive, Duration maxExpiry, int maxKeepAlive) {
        Duration expiry;
        boolean announced = false;
        if (mqtt5) {
            long asked = requestedExpiry == null ? 0 : requestedExpiry;
            long granted = asked == NEVER ? maxExpiry.toSeconds() : Math.min(asked, maxExpiry.toSeconds());
            expiry = Duration.ofSeconds(granted);
            announced = granted != asked;
        } else {
            expiry = cleanStart ? Duration.ZERO : maxExpiry;
        }
        boolean capped = mqtt5 && maxKeepAlive > 0 && (keepAlive == 0 || keepAlive > maxKeepAlive);
        return new SessionTerms(mqtt5, cleanStart, expiry, announced, capped ? maxKeepAlive : keepAlive, capped);
    }

    /** Stored in Redis: it outlives the connection, or a newer connection may take it over without a clean start. */
    boolean stored() {
        return !(cleanStart && expiry.isZero());
    }

    /** CONNACK's Session Present: a stored session was found and not discarded. */
    boolean sessionPresent(boolean found) {
        return found && !cleanStart;
    }

    /**
     * MQTT 5 DISCONNECT may change the expiry (capped as at CONNECT), except from 0: a session that ends with its
     * connection stays so (§3.14.2.2.2).
     */
    SessionTerms withExpiryOnDisconnect(Long seconds, Duration maxExpiry) {
        if (seconds == null || !mqtt5 || expiry.isZero()) {
            return this;
        }
        long granted = seconds == NEVER ? maxExpiry.toSeconds() : Math.min(seconds, maxExpiry.toSeconds());
        return new SessionTerms(mqtt5, cleanStart, Duration.ofSeconds(granted), expiryAnnounced, keepAliveSeconds, keepAliveCapped);
    }
}
