package io.tether.contract;

import java.util.Objects;

/**
 * A request to reach a device through APNs, on {@link Topics#PUSH} keyed by device id. Fanout publishes it
 * when a message cannot go live; push-service sends it to the device's token (the one fanout carried along while it
 * is fresh, else the registry's current one) and answers with a {@link Receipt} of outcome
 * {@link Receipt.Outcome#PUSHED} or {@link Receipt.Outcome#PUSH_FAILED}.
 *
 * @param push        the message's push options (JSON object as text; see README "Push options"), or null
 * @param payload     the message data; sent inside the push only when the whole push fits APNs' 4 KB
 * @param reason      why the device was not reached live: signal (app went to background), deaf, offline
 * @param expiresAt   epoch millis; APNs must not deliver after it
 * @param recipient   the device's standard token as fanout read it while routing; null when fanout did not (direct
 *                    pushes, requests from earlier versions), and then push-service reads the registry
 */
public record PushRequest(String deviceId, String messageId, long acceptedAt, long expiresAt, String collapseKey,
        String push, byte[] payload, String contentType, String reason, String traceparent, PushRecipient recipient) {

    public PushRequest {
        DeviceId.requireValid(deviceId);
        Objects.requireNonNull(messageId, "messageId");
    }

    /** A request without a recipient: push-service reads the device's token from the registry. */
    public PushRequest(String deviceId, String messageId, long acceptedAt, long expiresAt, String collapseKey, String push,
            byte[] payload, String contentType, String reason, String traceparent) {
        this(deviceId, messageId, acceptedAt, expiresAt, collapseKey, push, payload, contentType, reason, traceparent, null);
    }
}
