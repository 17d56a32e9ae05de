package io.tether.fanout.routing;

import io.tether.fanout.intake.OutgoingMessage;
import io.tether.inbox.InboxEntry;

/** Inbox entries made from accepted messages. */
final class Entries {
    private Entries() {
    }

    static InboxEntry of(OutgoingMessage message, String deviceId, String traceparent) {
        return new InboxEntry(message.messageId(), message.mqttTopic(deviceId), message.payload(), message.contentType(),
                message.acceptedAt(), message.expiresAt(), message.payload().length, message.collapseKey(), message.push(), traceparent);
    }
}
