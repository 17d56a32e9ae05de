package io.tether.contract;

import java.util.Objects;

/**
 * What became of one delivery a gateway was asked to make, on {@link Topics#RECEIPTS} keyed by device id.
 *
 * @param epoch  the connection epoch the delivery was meant for
 * @param reason for {@link Outcome#NOT_DELIVERED} and {@link Outcome#REJECTED}, why; may be null
 */
public record Receipt(String deviceId, String messageId, long epoch, Outcome outcome, String reason, long at) {

    public enum Outcome {
        /** The device sent PUBACK (success). */
        DELIVERED,
        /** The gateway could not hand it over (no such connection, connection closed, ack timeout); retry later. */
        NOT_DELIVERED,
        /** The device refused it (MQTT 5 PUBACK with an error reason code); final. */
        REJECTED
    }

    public Receipt {
        DeviceId.requireValid(deviceId);
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(outcome, "outcome");
    }
}
