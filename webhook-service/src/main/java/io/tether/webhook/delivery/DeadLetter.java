package io.tether.webhook.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An event the webhook did not take for {@code give-up-after}: kept for inspection and replay. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(QueueEntry entry, long failedAt, int attempts, String lastError) {
}
