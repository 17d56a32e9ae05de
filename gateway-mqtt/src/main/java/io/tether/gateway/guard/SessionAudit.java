package io.tether.gateway.guard;

import io.tether.contract.TakeoverNotice;
import io.tether.gateway.mqtt.Connections;
import io.tether.gateway.mqtt.DeviceSession;
import io.tether.gateway.store.GatewayStore;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Keeps the connections held here honest against Redis (see claim.lua): a connection is claimed when it opens, and
 * checked again when the registry announces a credential change of its device, when this gateway's control
 * subscription comes back after a loss (whatever was announced meanwhile is then caught), and every audit interval.
 * A connection whose device was deleted, or whose credentials were revoked or rotated since it authenticated, gets
 * DISCONNECT 0x87 (not authorised); one that a newer connection of the device holds, on any gateway, 0x8E (session
 * taken over).
 */
public final class SessionAudit {
    private static final Logger LOG = Logger.getLogger(SessionAudit.class);
    /** Connections checked at once during a full audit: enough to pipeline, few enough not to flood Redis. */
    private static final int BATCH = 256;

    private final GatewayStore store;
    private final String gatewayId;
    private final Connections connections;
    private final Listener listener;
    private final Duration knownOriginTtl;
    private final AtomicBoolean auditing = new AtomicBoolean();

    /** Counts the connections closed (metrics). */
    public interface Listener {
        /** @param reason {@code credentials} or {@code taken-over} */
        void closed(String reason);
    }

    /** @param knownOriginTtl how long the address a device authenticated from stays known as its own */
    public SessionAudit(GatewayStore store, String gatewayId, Connections connections, Duration knownOriginTtl, Listener listener) {
        this.knownOriginTtl = knownOriginTtl;
        this.store = store;
        this.gatewayId = gatewayId;
        this.connections = connections;
        this.listener = listener;
    }

    /**
     * A new connection's claim, authenticated under {@code credentialVersion} from {@code source}: the device and its
     * stored session ({@link GatewayStore#open}).
     */
    public CompletionStage<GatewayStore.Opening> open(DeviceSession session, long credentialVersion, String source,
            GatewayStore.SessionClaim sessionClaim) {
        return store.open(session.deviceId(), gatewayId, session.epoch(), credentialVersion, source, knownOriginTtl, sessionClaim);
    }

    /** The registry changed the device's credentials (or deleted it): check its connection here, if any. */
    public void credentialsChanged(String deviceId) {
        connections.get(deviceId).ifPresent(this::check);
    }

    /** Another gateway claimed a newer connection of a device: an older one here goes. */
    public void takenOver(TakeoverNotice notice) {
        if (connections.takenOverElsewhere(notice.deviceId(), notice.epoch())) {
            listener.closed("taken-over");
        }
    }

    /** Checks every connection held here; completes with how many were closed. A run already going is not doubled. */
    public CompletionStage<Integer> checkAll() {
        if (!auditing.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(0);
        }
        List<DeviceSession> all = new ArrayList<>(connections.all());
        return checkFrom(all, 0, 0).whenComplete((closed, error) -> {
            auditing.set(false);
            if (closed != null && closed > 0) {
                LOG.infof("session audit of %d connections closed %d", all.size(), closed);
            }
        });
    }

    private CompletionStage<Integer> checkFrom(List<DeviceSession> all, int from, int closedSoFar) {
        if (from >= all.size()) {
            return CompletableFuture.completedFuture(closedSoFar);
        }
        List<CompletableFuture<Boolean>> batch = all.subList(from, Math.min(all.size(), from + BATCH)).stream()
                .map(session -> check(session).toCompletableFuture()).toList();
        return CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).thenCompose(done -> checkFrom(all, from + BATCH,
                closedSoFar + (int) batch.stream().filter(CompletableFuture::join).count()));
    }

    /** Checks one connection again; completes with whether it was closed, never exceptionally. */
    CompletionStage<Boolean> check(DeviceSession session) {
        return store.claim(session.deviceId(), gatewayId, session.epoch(), OptionalLong.empty(), Optional.empty(), knownOriginTtl)
                .thenApply(claim -> close(session, claim))
                .exceptionally(error -> {
                    LOG.debugf("could not check the connection of %s: %s", session.deviceId(), error.getMessage());
                    return false;
                });
    }

    private boolean close(DeviceSession session, GatewayStore.Claim claim) {
        switch (claim) {
            case CREDENTIALS_CHANGED -> {
                listener.closed("credentials");
                session.revoke();
                return true;
            }
            case TAKEN_OVER -> {
                listener.closed("taken-over");
                session.takeOver();
                return true;
            }
            default -> {
                return false;
            }
        }
    }
}
