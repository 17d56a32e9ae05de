package io.tether.gateway.guard;

import io.tether.gateway.mqtt.ConnectHooks;
import io.tether.gateway.mqtt.DeviceSession;
import io.tether.gateway.store.GatewayStore;
import io.vertx.mqtt.MqttEndpoint;
import java.util.concurrent.CompletionStage;

/**
 * The guards' side of a CONNECT: failed authentications go to the {@link ConnectGuard}; the claim of the device and its
 * session to the {@link SessionAudit}.
 */
public final class GuardHooks implements ConnectHooks {
    private final ConnectGuard guard;
    private final SessionAudit audit;

    /** @param guard null when failed CONNECTs are not limited */
    public GuardHooks(ConnectGuard guard, SessionAudit audit) {
        this.guard = guard;
        this.audit = audit;
    }

    @Override
    public void refused(MqttEndpoint endpoint) {
        if (guard != null) {
            guard.failed(endpoint.clientIdentifier(), Sources.of(endpoint));
        }
    }

    @Override
    public CompletionStage<GatewayStore.Opening> claim(MqttEndpoint endpoint, DeviceSession session, long credentialVersion,
            GatewayStore.SessionClaim sessionClaim) {
        return audit.open(session, credentialVersion, Sources.of(endpoint), sessionClaim);
    }
}
