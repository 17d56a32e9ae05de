package io.tether.webhook.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One delivery attempt, as the delivery log keeps it.
 *
 * @param outcome    delivered, retrying (failed; tried again at {@code nextAttemptAt}) or dead (failed for the last
 *                   time: moved to the dead letters)
 * @param httpStatus the receiver's answer, or null when there was none (timeout, refused connection)
 * @param error      why it failed, when it did
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attempt(String eventId, String type, String deviceId, int attempt, long at, long durationMs, String outcome,
        Integer httpStatus, String error, Long nextAttemptAt) {
}
