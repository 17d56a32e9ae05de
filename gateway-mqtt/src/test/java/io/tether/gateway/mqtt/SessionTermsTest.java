package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a CONNECT's session and keepalive asks come to, per protocol version. */
class SessionTermsTest {
    private static final Duration MAX = Duration.ofDays(7);

    private static SessionTerms v5(boolean clean, Long expiry, int keepAlive) {
        return SessionTerms.of(true, clean, expiry, keepAlive, MAX, 300);
    }

    private static SessionTerms v311(boolean clean, int keepAlive) {
        return SessionTerms.of(false, clean, null, keepAlive, MAX, 300);
    }

    @Test
    void mqtt5WithoutAnExpiryEndsTheSessionWithTheConnectionAndStoresNothingOnACleanStart() {
        SessionTerms terms = v5(true, null, 60);

        assertEquals(Duration.ZERO, terms.expiry());
        assertFalse(terms.stored());
        assertFalse(terms.expiryAnnounced());
        assertFalse(terms.sessionPresent(true), "a clean start discards what was stored");
    }

    @Test
    void mqtt5WithoutCleanStartIsStoredEvenWithoutExpirySoThatANewerConnectionCanResumeIt() {
        SessionTerms terms = v5(false, 0L, 60);

        assertTrue(terms.stored());
        assertTrue(terms.sessionPresent(true));
        assertFalse(terms.sessionPresent(false));
    }

    @Test
    void mqtt5ExpiryIsGrantedUpToTheMaximumAndACappedOneIsAnnounced() {
        assertEquals(Duration.ofSeconds(600), v5(false, 600L, 60).expiry());
        assertFalse(v5(false, 600L, 60).expiryAnnounced());

        SessionTerms never = v5(false, SessionTerms.NEVER, 60);
        assertEquals(MAX, never.expiry());
        assertTrue(never.expiryAnnounced());
        assertEquals(MAX, v5(true, MAX.toSeconds() + 1, 60).expiry());
        assertTrue(v5(true, 1L, 60).stored(), "a clean start with an expiry starts a new stored session");
    }

    @Test
    void mqtt311CleanSessionOffIsKeptForTheMaximumAndOnIsNotStored() {
        assertEquals(MAX, v311(false, 60).expiry());
        assertTrue(v311(false, 60).stored());
        assertFalse(v311(false, 60).expiryAnnounced(), "MQTT 3.1.1 cannot be told");
        assertEquals(Duration.ZERO, v311(true, 60).expiry());
        assertFalse(v311(true, 60).stored());
    }

    @Test
    void aKeepaliveAboveTheMaximumOrNoneIsCappedOnMqtt5AndLeftAsAskedOnMqtt311() {
        assertEquals(60, v5(true, null, 60).keepAliveSeconds());
        assertFalse(v5(true, null, 60).keepAliveCapped());
        assertEquals(300, v5(true, null, 0).keepAliveSeconds());
        assertTrue(v5(true, null, 0).keepAliveCapped());
        assertEquals(300, v5(true, null, 1200).keepAliveSeconds());
        assertTrue(v5(true, null, 1200).keepAliveCapped());

        assertEquals(1200, v311(true, 1200).keepAliveSeconds());
        assertFalse(v311(true, 0).keepAliveCapped());
    }

    @Test
    void disconnectMayChangeTheExpiryWithinTheMaximumButNotFromZero() {
        assertEquals(Duration.ofSeconds(60), v5(false, 600L, 60).withExpiryOnDisconnect(60L, MAX).expiry());
        assertEquals(Duration.ofSeconds(7200), v5(false, 600L, 60).withExpiryOnDisconnect(7200L, MAX).expiry());
        assertEquals(MAX, v5(false, 600L, 60).withExpiryOnDisconnect(SessionTerms.NEVER, MAX).expiry());
        assertEquals(Duration.ZERO, v5(false, 0L, 60).withExpiryOnDisconnect(600L, MAX).expiry());
        assertEquals(Duration.ofSeconds(600), v5(false, 600L, 60).withExpiryOnDisconnect(null, MAX).expiry());
    }
}
