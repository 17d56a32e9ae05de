package io.tether.gateway.testing;

import io.tether.gateway.mqtt.ConnectHooks;
import io.tether.gateway.mqtt.DeviceSession;
import io.tether.gateway.store.GatewayStore;
import io.vertx.mqtt.MqttEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link ConnectHooks} that record what they hear and claim in the store as the guards' hooks do. */
public final class FakeHooks implements ConnectHooks {
    public final List<String> refused = new CopyOnWriteArrayList<>();
    public final List<String> claims = new CopyOnWriteArrayList<>();
    private final GatewayStore store;
    private final String gatewayId;

    public FakeHooks(GatewayStore store, String gatewayId) {
        this.store = store;
        this.gatewayId = gatewayId;
    }

    @Override
    public void refused(MqttEndpoint endpoint) {
        refused.add(endpoint.clientIdentifier());
    }

    @Override
    public CompletionStage<GatewayStore.Opening> claim(MqttEndpoint endpoint, DeviceSession session, long credentialVersion,
            GatewayStore.SessionClaim sessionClaim) {
        claims.add(session.deviceId() + " " + session.epoch() + " v" + credentialVersion);
        return store.open(session.deviceId(), gatewayId, session.epoch(), credentialVersion, "test-source", Duration.ofDays(1),
                sessionClaim);
    }
}
