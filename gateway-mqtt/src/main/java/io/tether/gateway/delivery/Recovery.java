package io.tether.gateway.delivery;

import io.tether.gateway.mqtt.Connections;
import io.tether.gateway.mqtt.DeviceSession;
import io.tether.inbox.OrphanedDevices;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * What puts a gateway's view and Redis' view of its connections back in agreement: after the delivery channel was
 * lost (hand everything unacknowledged over again), after the heartbeat lapsed (state every connection again), and
 * at start-up (a previous process under the same id left devices pointing here).
 */
public final class Recovery {
    private static final Logger LOG = Logger.getLogger(Recovery.class);

    private final Connections connections;
    private final EventPublisher events;
    private final OrphanedDevices orphans;

    public Recovery(Connections connections, EventPublisher events, OrphanedDevices orphans) {
        this.connections = connections;
        this.events = events;
        this.orphans = orphans;
    }

    public void resyncAll() {
        for (DeviceSession session : connections.all()) {
            session.resync().exceptionally(error -> {
                LOG.warnf("resync of %s failed: %s", session.deviceId(), error.getMessage());
                return 0;
            });
        }
    }

    public void reassertAll() {
        connections.all().forEach(DeviceSession::reassert);
    }

    /** Before this process accepts connections: its predecessor's devices are not connected here any more. */
    public CompletionStage<Integer> disconnectPredecessor(String gatewayId) {
        return orphans.of(gatewayId, "gateway-restarted", System.currentTimeMillis()).thenCompose(gone -> {
            if (!gone.isEmpty()) {
                LOG.infof("gateway %s: %d devices of its previous process go offline", gatewayId, gone.size());
            }
            gone.forEach(events::presenceEventually);
            return orphans.forget(gatewayId).thenApply(v -> gone.size());
        });
    }
}
