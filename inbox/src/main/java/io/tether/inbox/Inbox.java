package io.tether.inbox;

import io.tether.contract.PresenceEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A device's inbox, presence and delivery statuses, as the services use them: fanout queues, routes and applies
 * presence; the gateway acknowledges and resyncs; a device fetching over HTTPS reads and acknowledges. Implemented
 * in Redis by {@link DeviceInbox}; the interface lets the services' logic be tested without Redis.
 */
public interface Inbox {

    /**
     * What {@link #route} did to the message.
     *
     * @param status     the message's status for this device after the call (queued, or failed, or final already)
     * @param depth      inbox depth including it when this call queued it, else -1
     * @param failure    why this call failed it (unknown-device, inbox-full), else null
     * @param indexAt    when non-zero: put the device into the expiry index at this time before committing
     * @param overflowed ids of older messages that gave way at the inbox bound (now failed: inbox-overflow)
     * @param handedOver this call handed the message itself to the gateway (not only older entries); its next status
     *                   comes from the gateway
     */
    public record Routed(String status, long depth, String failure, long indexAt, List<String> overflowed,
            boolean handedOver, Pump pump) {
        public boolean queuedNow() {
            return depth >= 0;
        }
    }

    /**
     * What a presence event did: {@code state} and {@code appState} (foreground, background, or null when none is
     * stored) after it, when {@code applied}; the pump it triggered. {@code deletedDeviceApp}: the app of a deleted
     * device whose last change this is (OFFLINE, after it was deleted while connected), which its event must carry:
     * the record that named the app is gone. Null for a device that exists.
     */
    public record PresenceChange(boolean applied, String state, String appState, Pump pump, String deletedDeviceApp) {

        /** A change of a device that exists. */
        public PresenceChange(boolean applied, String state, String appState, Pump pump) {
            this(applied, state, appState, pump, null);
        }
    }

    /**
     * What a gateway's answer did: whether the status changed, how many next entries went out, and the ones found
     * past their TTL on the way (settled expired: {@code expiredIds}).
     */
    public record Acked(boolean changed, int handedOver, int expired, List<String> expiredIds) {
        public Acked(boolean changed, int handedOver, int expired) {
            this(changed, handedOver, expired, List.of());
        }
    }

    /**
     * What the expiry sweep did to one device: how many expired (their ids: {@code expiredIds}), and when the next
     * entry is due (0: none left).
     */
    public record Expired(int expired, long nextAt, List<String> expiredIds) {
        public Expired(int expired, long nextAt) {
            this(expired, nextAt, List.of());
        }
    }

    /** Queues a message for a device (unless known: a re-consumed record) and moves the inbox along. */
    CompletionStage<Routed> route(String deviceId, InboxEntry entry, long statusTtlSeconds);

    /** What {@link #direct} recorded: the status, whether to write the push request now, why it failed. */
    record Direct(String status, boolean push, String failure) {
    }

    /**
     * A message only APNs can carry ({@link RoutingPolicy#isDirectPush}): its status records that it goes to push; it
     * never enters the inbox. {@code push} is true when the push request is to be written.
     */
    CompletionStage<Direct> direct(String deviceId, String messageId, long statusTtlSeconds);

    /** Applies a presence event (epoch-fenced) and, when it changed anything, moves the inbox along. */
    CompletionStage<PresenceChange> presence(PresenceEvent event);

    /**
     * A gateway's final answer for a delivery on connection {@code epoch} of {@code gatewayId}: {@code delivered}
     * (PUBACK), {@code failed} (refused, with {@code reason}) or {@code expired}. The next entries go out while that
     * connection is the live one.
     */
    CompletionStage<Acked> acknowledge(String deviceId, String messageId, String status, String reason, long epoch, String gatewayId);

    /**
     * Hands everything unacknowledged to connection {@code epoch} of {@code gatewayId} again: how many, and the entries
     * found past their TTL on the way (settled expired). Nothing for any other connection, or one not receiving.
     */
    CompletionStage<Pump.Live> resync(String deviceId, long epoch, String gatewayId);

    /** The push requests of {@code push} are in Kafka: the entries count as pushed-for; false when already moved on. */
    CompletionStage<Boolean> confirmPush(String deviceId, Pump.Push push);

    /** APNs accepted the message's push; true when that changed its status (a final status stays). */
    CompletionStage<Boolean> pushed(String deviceId, String messageId, String apnsId);

    /** The push failed; the message stays queued in the inbox, and its status says why it was not pushed. */
    CompletionStage<Void> pushFailed(String deviceId, String messageId, String reason);

    /** Moves the inbox along with nothing else changed (after a full batch of pushes, to look behind it). */
    CompletionStage<Pump> pump(String deviceId);

    /** The oldest entries in the device's inbox that have not expired, at most {@code limit}: what a device fetches. */
    CompletionStage<List<InboxEntry>> pending(String deviceId, int limit);

    /**
     * The device got these messages by fetching them: they leave its inbox and are delivered with route fetch. The
     * answer tells, per id, whether it is delivered (now or before); false for an id that is not the device's.
     */
    CompletionStage<Map<String, Boolean>> acknowledgeFetched(String deviceId, List<String> messageIds);

    /** Expires what is due in the device's inbox; tells when the next entry is due. */
    CompletionStage<Expired> expire(String deviceId);
}
