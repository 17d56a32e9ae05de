package io.tether.gateway.mqtt;

import io.tether.gateway.store.GatewayStore;
import io.vertx.mqtt.MqttEndpoint;
import java.util.concurrent.CompletionStage;

/**
 * What the gateway's guards ({@code io.tether.gateway.guard}) learn from a CONNECT and add to it: failed
 * authentications (counted against their source), and the claim that opens the new connection (one session per client
 * id across gateways; credentials still valid; the address it authenticated from).
 */
public interface ConnectHooks {
    /** The credentials were wrong or missing. */
    void refused(MqttEndpoint endpoint);

    /**
     * Before CONNACK, next to the presence write: opens {@code session}, authenticated under {@code credentialVersion}
     * ({@link GatewayStore#open}: the device set, the device's claim and its stored session taken as {@code sessionClaim}
     * says). TAKEN_OVER: a newer connection exists (this one gets DISCONNECT 0x8E right after CONNACK);
     * CREDENTIALS_CHANGED: the CONNECT is refused as not authorised.
     */
    CompletionStage<GatewayStore.Claim> claim(MqttEndpoint endpoint, DeviceSession session, long credentialVersion,
            GatewayStore.SessionClaim sessionClaim);
}
