package io.tether.push.apns;

import com.eatthepath.pushy.apns.PushNotificationResponse;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * What one attempt to hand a notification to APNs came to, following Pushy's contract: a returned response
 * is APNs' answer (accepted, or rejected for good), a failed future is a send that did not happen (retry).
 * 429 and 5xx answers are APNs asking to come back later, so they are retried too.
 *
 * @param status             HTTP status of APNs' answer; 0 when there was none
 * @param reason             APNs' reason, or a description of the failure; null when accepted
 * @param tokenInvalidatedAt when APNs says the token stopped being valid (410 answers)
 */
public record ApnsAnswer(Kind kind, int status, String reason, Optional<Instant> tokenInvalidatedAt) {

    public enum Kind { ACCEPTED, REJECTED, RETRY }

    /** Reasons that say the token must not be used again (besides status 410). */
    private static final Set<String> TOKEN_GONE = Set.of("Unregistered", "BadDeviceToken", "ExpiredToken");
    private static final String NOT_FOR_TOPIC = "DeviceTokenNotForTopic";

    /**
     * Pushy closes a connection whose provider token APNs calls expired; the next connection signs a new one,
     * so this rejection is worth another try.
     */
    private static final Set<String> RETRY_REASONS = Set.of("ExpiredProviderToken");

    public static ApnsAnswer of(PushNotificationResponse<?> response, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
            return new ApnsAnswer(Kind.RETRY, 0, cause.getClass().getSimpleName() + message, Optional.empty());
        }
        if (response.isAccepted()) {
            return new ApnsAnswer(Kind.ACCEPTED, response.getStatusCode(), null, Optional.empty());
        }
        int status = response.getStatusCode();
        String reason = response.getRejectionReason().orElse("status " + status);
        boolean retry = status == 429 || status >= 500 || RETRY_REASONS.contains(reason);
        return new ApnsAnswer(retry ? Kind.RETRY : Kind.REJECTED, status, reason, response.getTokenInvalidationTimestamp());
    }

    /**
     * Whether the token sent is dead: remove it from the registry (unless it was registered again since).
     * DeviceTokenNotForTopic says so only for the bare bundle id: on a suffixed topic ({@code .voip},
     * {@code .push-type.liveactivity}) the token may be valid for the app and sent to the wrong kind of topic, so it stays.
     *
     * @param topic    the apns-topic the notification was sent on
     * @param bundleId the app's bundle id (the topic without Apple's suffix)
     */
    public boolean invalidatesToken(String topic, String bundleId) {
        if (kind != Kind.REJECTED) {
            return false;
        }
        if (status == 410) {
            return true;
        }
        if (NOT_FOR_TOPIC.equals(reason)) {
            return topic.equals(bundleId);
        }
        return TOKEN_GONE.contains(reason);
    }
}
