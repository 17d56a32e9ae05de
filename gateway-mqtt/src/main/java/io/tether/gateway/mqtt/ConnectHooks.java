package io.tether.gateway.mqtt;

import io.tether.gateway.store.GatewayStore;
import io.vertx.mqtt.MqttEndpoint;
import java.util.concurrent.CompletionStage;

/**
 * The guards' part of a CONNECT ({@code io.tether.gateway.guard}, always installed): failed authentications (counted
 * against their source), and the claim that gives the new connection the device and its stored session (one session per
 * client id across gateways; credentials still valid; the address it authenticated from remembered).
 */
public interface ConnectHooks {
    /** The credentials were wrong or missing. */
    void refused(MqttEndpoint endpoint);

    /**
     * Before CONNACK, next to the presence write: claims the device for {@code session}, authenticated under
     * {@code credentialVersion}, and takes its stored session as {@code sessionClaim} says ({@link GatewayStore#open}).
     * TAKEN_OVER: a newer connection exists (this one gets DISCONNECT 0x8E right after CONNACK); CREDENTIALS_CHANGED: the
     * CONNECT is refused as not authorised. HELD says whether the session was resumed (Session Present) and whose
     * delayed will that decides.
     */
    CompletionStage<GatewayStore.Opening> claim(MqttEndpoint endpoint, DeviceSession session, long credentialVersion,
            GatewayStore.SessionClaim sessionClaim);
}
