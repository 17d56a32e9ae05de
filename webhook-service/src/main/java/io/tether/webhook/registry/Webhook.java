package io.tether.webhook.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tether.contract.TetherEvent;
import java.util.List;
import java.util.Objects;

/**
 * A registered webhook: where events go and which. Owned by an app (every event of the app's devices) or by an API
 * key (the status changes of the messages that key sent).
 *
 * @param appId  the app whose devices' events it gets, or null for a key's webhook
 * @param keyId  the API key whose messages' status changes it gets, or null for an app's webhook
 * @param events the event types it gets ({@link TetherEvent#MESSAGE_STATUS}, {@link TetherEvent#DEVICE_PRESENCE})
 * @param secret {@code whsec_} and the base64 HMAC key; shown once, when created
 */
public record Webhook(String id, String url, String appId, String keyId, List<String> events, String secret, long createdAt) {
    public Webhook {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        events = List.copyOf(events);
    }

    /** Whether an event of {@code type} about a device of {@code app}, for a message sent by {@code senderKeyId}, goes here. */
    @JsonIgnore
    public boolean wants(String type, String app, String senderKeyId) {
        if (!events.contains(type)) {
            return false;
        }
        if (appId != null) {
            return appId.equals(app);
        }
        return TetherEvent.MESSAGE_STATUS.equals(type) && keyId != null && keyId.equals(senderKeyId);
    }
}
