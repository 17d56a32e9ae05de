package io.tether.contract;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which of a device's tokens: a kind, and for push-to-start and Live Activity tokens the activity type or id.
 * The standard ({@link PushTokenKind#ALERT}) token stays in the device hash ({@link DeviceFields#PUSH_TOKEN}, as
 * fanout and older services read it); every other slot is one field of {@link RedisKeys.Device#pushTokens()}:
 * {@code voip}, {@code pushToStart:<attributesType>}, {@code liveActivity:<activityId>}, each holding a
 * {@link StoredPushToken}.
 *
 * @param qualifier the attributes type (push-to-start) or activity id (Live Activity); null for the others
 */
public record PushTokenSlot(PushTokenKind kind, String qualifier) {
    /** Activity types are Swift type names, activity ids UUIDs; no ':' so a field name splits at its first one. */
    private static final Pattern QUALIFIER = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    public static final String QUALIFIER_RULE = "1 to 128 letters, digits, '.', '_' or '-'";

    public static final PushTokenSlot ALERT = new PushTokenSlot(PushTokenKind.ALERT, null);
    public static final PushTokenSlot VOIP = new PushTokenSlot(PushTokenKind.VOIP, null);

    public PushTokenSlot {
        Objects.requireNonNull(kind, "kind");
        if (kind.isQualified() != (qualifier != null)) {
            throw new IllegalArgumentException(kind.wire() + (kind.isQualified() ? " tokens need " : " tokens take no ")
                    + "an activity type or id");
        }
        if (qualifier != null && !isValidQualifier(qualifier)) {
            throw new IllegalArgumentException("activity type or id must be " + QUALIFIER_RULE);
        }
    }

    public static PushTokenSlot pushToStart(String attributesType) {
        return new PushTokenSlot(PushTokenKind.PUSH_TO_START, attributesType);
    }

    public static PushTokenSlot liveActivity(String activityId) {
        return new PushTokenSlot(PushTokenKind.LIVE_ACTIVITY, activityId);
    }

    public static boolean isValidQualifier(String value) {
        return value != null && QUALIFIER.matcher(value).matches();
    }

    /** The field in {@link RedisKeys.Device#pushTokens()}; the alert token has none (it is in the device hash). */
    public String field() {
        if (kind == PushTokenKind.ALERT) {
            throw new IllegalStateException("the alert token lives in the device hash");
        }
        return qualifier == null ? kind.wire() : kind.wire() + ":" + qualifier;
    }

    /** The slot a push-tokens field names; empty for a field this version does not know. */
    public static Optional<PushTokenSlot> ofField(String field) {
        int colon = field.indexOf(':');
        Optional<PushTokenKind> kind = PushTokenKind.parse(colon < 0 ? field : field.substring(0, colon));
        if (kind.isEmpty() || kind.get() == PushTokenKind.ALERT) {
            return Optional.empty();
        }
        String qualifier = colon < 0 ? null : field.substring(colon + 1);
        try {
            return Optional.of(new PushTokenSlot(kind.get(), qualifier));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** For messages: kind and qualifier, never a token. */
    @Override
    public String toString() {
        return qualifier == null ? kind.wire() : kind.wire() + " " + qualifier;
    }
}
