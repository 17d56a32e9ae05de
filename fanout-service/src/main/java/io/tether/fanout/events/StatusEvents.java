package io.tether.fanout.events;

import io.tether.contract.PresenceEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Status and presence changes fanout decided, for backends ({@code tether.events}). Each stage completes when the
 * event is in Kafka, so a routing step that changed a status commits its offset only after its event is written.
 */
public interface StatusEvents {

    /** Writes nothing: for tests of routing alone. */
    StatusEvents NONE = new StatusEvents() {
        @Override
        public CompletionStage<Void> status(String deviceId, String messageId, String status, String reason, String route) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> presence(PresenceEvent event, String stateAfter, String appState, String deletedDeviceApp) {
            return CompletableFuture.completedFuture(null);
        }
    };

    /** A message's status for a device changed ({@code reason} and {@code route} may be null). */
    CompletionStage<Void> status(String deviceId, String messageId, String status, String reason, String route);

    /** Several messages of one device took the same status. */
    default CompletionStage<Void> statuses(String deviceId, List<String> messageIds, String status, String reason) {
        return CompletableFuture.allOf(messageIds.stream()
                .map(id -> status(deviceId, id, status, reason, null).toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    /**
     * {@code event} was applied and left the device in {@code stateAfter}, its app in {@code appState} (the one stored
     * with the presence, null when none is: an ACK_TIMEOUT or a DISCONNECTED does not say it). {@code deletedDeviceApp}:
     * for the last change of a device deleted while connected, its app, which the event then carries (webhook-service
     * reads a device's app from its record, gone by then); null otherwise.
     */
    CompletionStage<Void> presence(PresenceEvent event, String stateAfter, String appState, String deletedDeviceApp);
}
