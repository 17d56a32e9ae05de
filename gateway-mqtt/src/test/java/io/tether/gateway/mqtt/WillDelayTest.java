package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
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
    void aNewerConnectionOfTheDeviceCancelsTheWill() {
        assertFalse(WillDelay.stillDue(OptionalLong.of(8), 7), "a newer connection claimed the device [MQTT-3.1.3-9]");
        assertTrue(WillDelay.stillDue(OptionalLong.of(7), 7), "the ended connection is still the newest");
        assertTrue(WillDelay.stillDue(OptionalLong.of(6), 7));
        assertTrue(WillDelay.stillDue(OptionalLong.empty(), 7), "nothing known in Redis: nothing newer came");
    }
}
