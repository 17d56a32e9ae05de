package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * When an abnormally ended connection's will goes out (MQTT 5 §3.1.3.2.2, §3.1.2.5): after its Will Delay Interval, or
 * when the session ends if that comes first [MQTT-3.1.3-9], and not at all once a newer connection of the device holds
 * it. MQTT 3.1.1 has no delay: its will goes out at once. Plain: what to do, not how.
 */
final class WillDelay {
    private WillDelay() {
    }

    /**
     * How long after the connection's end its will waits.
     *
     * @param willProperties the CONNECT's will properties (MQTT 5), or null
     * @param sessionKept    how long the session outlives the connection (zero: it ends with it, so the will goes at once)
     */
    static Duration of(boolean mqtt5, MqttProperties willProperties, Duration sessionKept) {
        if (!mqtt5) {
            return Duration.ZERO;
        }
        Long asked = MqttProps.unsignedInt(willProperties, MqttPropertyType.WILL_DELAY_INTERVAL);
        if (asked == null) {
            return Duration.ZERO;
        }
        Duration delay = Duration.ofSeconds(asked);
        return delay.compareTo(sessionKept) < 0 ? delay : sessionKept;
    }

    /**
     * Whether the will of connection {@code epoch} is still due when its delay has passed: no newer connection claimed the
     * device meanwhile, here or on another gateway. The owner hash in Redis names the newest connection that claimed the
     * device (claim.lua); empty when it is gone (Redis lost data): nothing newer is known, so the will goes out.
     */
    static boolean stillDue(OptionalLong holderEpoch, long epoch) {
        return holderEpoch.isEmpty() || holderEpoch.getAsLong() <= epoch;
    }
}
