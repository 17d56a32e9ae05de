package io.tether.contract;

import java.util.Objects;

/**
 * What became of one delivery a gateway was asked to make, on {@link Topics#RECEIPTS} keyed by device id.
 *
 * @param epoch  the connection epoch the delivery was meant for (0 for push outcomes)
 * @param reason why, for the outcomes that are not a success; may be null
 * @param apnsId for push outcomes, the apns-id of the notification; otherwise null
 */
public record Receipt(String deviceId, String messageId, long epoch, Outcome outcome, String reason, long at, String apnsId) {

    public enum Outcome {
        /** The device sent PUBACK (success). */
        DELIVERED,
        /** The gateway could not hand it over (no such connection, connection closed, ack timeout); retry later. */
        NOT_DELIVERED,
        /** The device refused it (MQTT 5 PUBACK with an error reason code); final. */
        REJECTED,
        /** APNs accepted the push notification (push-service). */
        PUSHED,
        /** APNs rejected the push for good, or it could not be sent within the message's TTL (push-service). */
        PUSH_FAILED
    }

    /** A receipt of the gateway (no apns-id). */
    public Receipt(String deviceId, String messageId, long epoch, Outcome outcome, String reason, long at) {
        this(deviceId, messageId, epoch, outcome, reason, at, null);
    }

    public Receipt {
        DeviceId.requireValid(deviceId);
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(outcome, "outcome");
    }
}
