package io.tether.gateway.testing;

import io.tether.gateway.mqtt.ConnectHooks;
import io.tether.gateway.mqtt.DeviceSession;
import io.tether.gateway.store.GatewayStore;
import io.vertx.mqtt.MqttEndpoint;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link ConnectHooks} that record what they hear and answer every claim with {@link #claim} (HELD unless a test sets it). */
public final class FakeHooks implements ConnectHooks {
    public final List<String> refused = new CopyOnWriteArrayList<>();
    public final List<String> claims = new CopyOnWriteArrayList<>();
    public volatile GatewayStore.Claim claim = GatewayStore.Claim.HELD;

    @Override
    public void refused(MqttEndpoint endpoint) {
        refused.add(endpoint.clientIdentifier());
    }

    @Override
    public CompletionStage<GatewayStore.Claim> claim(MqttEndpoint endpoint, DeviceSession session, long credentialVersion) {
        claims.add(session.deviceId() + " " + session.epoch() + " v" + credentialVersion);
        return CompletableFuture.completedFuture(claim);
    }
}
