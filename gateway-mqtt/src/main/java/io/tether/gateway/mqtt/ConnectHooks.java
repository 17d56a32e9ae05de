package io.tether.gateway.mqtt;

import io.tether.gateway.store.GatewayStore;
import io.vertx.mqtt.MqttEndpoint;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the gateway's guards ({@code io.tether.gateway.guard}) learn from a CONNECT and add to it: failed
 * authentications (counted against their source), and the claim of the device for the new connection (one session per
 * client id across gateways; credentials still valid; the address it authenticated from). {@link #NONE} does nothing and always holds.
 */
public interface ConnectHooks {
    ConnectHooks NONE = new ConnectHooks() {
        @Override
        public void refused(MqttEndpoint endpoint) {
        }

        @Override
        public CompletionStage<GatewayStore.Claim> claim(MqttEndpoint endpoint, DeviceSession session, long credentialVersion) {
            return CompletableFuture.completedFuture(GatewayStore.Claim.HELD);
        }
    };

    /** The credentials were wrong or missing. */
    void refused(MqttEndpoint endpoint);

    /**
     * Before CONNACK, next to the presence write: claims the device for {@code session}, authenticated under
     * {@code credentialVersion}. TAKEN_OVER: a newer connection exists (this one gets DISCONNECT 0x8E right after
     * CONNACK); CREDENTIALS_CHANGED: the CONNECT is refused as not authorised.
     */
    CompletionStage<GatewayStore.Claim> claim(MqttEndpoint endpoint, DeviceSession session, long credentialVersion);
}
