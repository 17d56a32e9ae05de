package io.tether.contract;

import java.util.Optional;

/**
 * The kinds of APNs token a device holds. Each is issued separately by iOS and works only for its own push type
 * and topic: the standard token (UIApplication), the PushKit VoIP token, ActivityKit's push-to-start token (one
 * per Live Activity type) and ActivityKit's update token (one per running Live Activity).
 */
public enum PushTokenKind {
    /** The standard token: alert, background and the other push types on the bundle id. Kept in the device hash. */
    ALERT("alert"),
    /** PushKit VoIP token: push type voip, topic {@code <bundle>.voip}. */
    VOIP("voip"),
    /** ActivityKit push-to-start token of one Live Activity type (iOS 17.2+); qualifier: the attributes type. */
    PUSH_TO_START("pushToStart"),
    /** ActivityKit update token of one running Live Activity; qualifier: the activity id. */
    LIVE_ACTIVITY("liveActivity");

    private final String wire;

    PushTokenKind(String wire) {
        this.wire = wire;
    }

    /** As in the REST API, the MQTT signal and the Redis field names. */
    public String wire() {
        return wire;
    }

    /** Whether a token of this kind is one of several, told apart by an activity type or activity id. */
    public boolean isQualified() {
        return this == PUSH_TO_START || this == LIVE_ACTIVITY;
    }

    public static Optional<PushTokenKind> parse(String value) {
        for (PushTokenKind kind : values()) {
            if (kind.wire.equals(value)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
