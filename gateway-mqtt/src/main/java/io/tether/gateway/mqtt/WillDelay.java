package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.tether.gateway.store.GatewayStore;
import java.time.Duration;

/**
 * When an abnormally ended connection's will goes out (MQTT 5 §3.1.3.2.2, §3.1.2.5): after its Will Delay Interval, or
 * when the session ends if that comes first [MQTT-3.1.3-9], and not at all when the first connection of the device after
 * it resumed its session before that. MQTT 3.1.1 has no delay: its will goes out at once. Plain: what to do, not how.
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
     * Whether the held will of connection {@code epoch} goes out, on what Redis says: when the first connection claimed
     * after it decided (claim.lua), or when its delay is up. Only that first connection counts, on any gateway; what
     * later ones did (a clean start after a resume, a resume after a clean start) changes nothing.
     * <ul>
     * <li>It resumed the session: not sent [MQTT-3.1.3-9].</li>
     * <li>It began a new session (Clean Start 1, or nothing left to resume): the will's session ended, so it is sent,
     * at once (§3.1.2.5).</li>
     * <li>No decision recorded: once the delay is up, sent unless a newer connection holds the device (a claim by a
     * gateway that records no decision, or a record no longer kept: the rule from before the decisions, which never
     * sends a will that must not go); sent too when nothing is known (Redis lost data).</li>
     * </ul>
     */
    static boolean sent(GatewayStore.WillCheck check, long epoch) {
        return switch (check.decision()) {
            case RESUMED -> false;
            case NEW_SESSION -> true;
            case NONE -> check.holderEpoch().isEmpty() || check.holderEpoch().getAsLong() <= epoch;
        };
    }
}
