package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.tether.gateway.store.GatewayStore;
import io.tether.gateway.store.GatewayStore.Decision;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** When a will goes out, and whether it still does once its delay has passed (MQTT 5 §3.1.3.2.2). */
class WillDelayTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private static MqttProperties delay(int seconds) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.WILL_DELAY_INTERVAL.value(), seconds));
        return properties;
    }

    @Test
    void theWillWaitsItsDelayWhileTheSessionOutlivesIt() {
        assertEquals(Duration.ofSeconds(2), WillDelay.of(true, delay(2), HOUR));
    }

    @Test
    void aSessionThatExpiresFirstSendsTheWillAtItsEnd() {
        assertEquals(Duration.ofSeconds(5), WillDelay.of(true, delay(60), Duration.ofSeconds(5)));
        assertEquals(Duration.ZERO, WillDelay.of(true, delay(60), Duration.ZERO), "a session that ends with the connection");
    }

    @Test
    void noDelayAskedAndMqtt311SendTheWillAtOnce() {
        assertEquals(Duration.ZERO, WillDelay.of(true, MqttProperties.NO_PROPERTIES, HOUR));
        assertEquals(Duration.ZERO, WillDelay.of(true, null, HOUR));
        assertEquals(Duration.ZERO, WillDelay.of(true, delay(0), HOUR));
        assertEquals(Duration.ZERO, WillDelay.of(false, delay(30), HOUR), "MQTT 3.1.1 has no Will Delay Interval");
    }

    @Test
    void theLargestDelayIsReadUnsigned() {
        assertEquals(HOUR, WillDelay.of(true, delay(0xFFFF_FFFF), HOUR));
    }

    @Test
    void theFirstConnectionAfterTheWillsDecidesIt() {
        assertFalse(WillDelay.sent(decided(Decision.RESUMED, 9), 7), "it resumed the session [MQTT-3.1.3-9]");
        assertTrue(WillDelay.sent(decided(Decision.NEW_SESSION, 9), 7), "it began a new one: the will's session ended");
        assertTrue(WillDelay.sent(GatewayStore.WillCheck.decided(false), 7), "heard at once, from a claim or a notice");
        assertFalse(WillDelay.sent(GatewayStore.WillCheck.decided(true), 7));
    }

    /**
     * The two orders of two reconnects within the delay (the review of d7864f3): only the first connection after the
     * will's counts. claim.lua records it once for the will's epoch; the newest connection's own way in (holder 9 here)
     * does not enter.
     */
    @Test
    void aResumeThenACleanStartSendsNothingAndACleanStartThenAResumeSendsTheWill() {
        // 8 resumed 7's session, then 9 began a new one (ending 8's session, not 7's).
        assertFalse(WillDelay.sent(decided(Decision.RESUMED, 9), 7));
        // 8 began a new session (7's ended), then 9 resumed 8's.
        assertTrue(WillDelay.sent(decided(Decision.NEW_SESSION, 9), 7));
    }

    @Test
    void withNoDecisionRecordedTheWillGoesAtItsDelayUnlessANewerConnectionHoldsTheDevice() {
        assertFalse(WillDelay.sent(undecided(OptionalLong.of(8)), 7), "claimed without a record (an older build, or pruned)");
        assertTrue(WillDelay.sent(undecided(OptionalLong.of(7)), 7), "the ended connection is still the newest");
        assertTrue(WillDelay.sent(undecided(OptionalLong.of(6)), 7));
        assertTrue(WillDelay.sent(undecided(OptionalLong.empty()), 7), "nothing known in Redis: nothing newer came");
    }

    private static GatewayStore.WillCheck decided(Decision decision, long holder) {
        return new GatewayStore.WillCheck(decision, OptionalLong.of(holder));
    }

    private static GatewayStore.WillCheck undecided(OptionalLong holder) {
        return new GatewayStore.WillCheck(Decision.NONE, holder);
    }
}
