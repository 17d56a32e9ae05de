package io.tether.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A token of a {@link PushTokenSlot} other than the alert one, as JSON in its field of
 * {@link RedisKeys.Device#pushTokens()}. push-service's invalidation script reads {@code token} and
 * {@code updatedAt} of it, so these names are part of the contract.
 *
 * @param token        lowercase hex
 * @param environment  sandbox or production: which APNs issued it
 * @param updatedAt    epoch millis when it was set; APNs' token-invalidation time is compared with it
 * @param activityType for a Live Activity token: its attributes type, when the app said; else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredPushToken(String token, String environment, long updatedAt, String activityType) {

    public String toJson() {
        return Json.toString(this);
    }

    /** @throws IllegalArgumentException when the text is not a stored token */
    public static StoredPushToken fromJson(String json) {
        StoredPushToken stored = Json.fromString(json, StoredPushToken.class);
        if (stored.token() == null || stored.token().isEmpty()) {
            throw new IllegalArgumentException("stored push token without a token");
        }
        return stored;
    }

    /** Never the token itself: records end up in logs and assertion messages. */
    @Override
    public String toString() {
        return "StoredPushToken[token=***, environment=" + environment + ", updatedAt=" + updatedAt
                + ", activityType=" + activityType + "]";
    }
}
