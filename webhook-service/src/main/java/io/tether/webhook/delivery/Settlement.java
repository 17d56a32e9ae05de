package io.tether.webhook.delivery;

import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * What an attempt's answer means for its event (delivered, tried again when, or dead), recorded in Redis and only then
 * counted. The meters count what was settled: an attempt whose settle failed (Redis did not answer, or this instance
 * died first) is sent again once its claim lapses and counted then, once; one that lost its head to another instance
 * (its claim lapsed mid-send) or whose webhook was deleted meanwhile changed nothing, and is not counted either.
 */
final class Settlement {

    /** Records an attempt on a head: {@link DeliveryQueues#settle}. */
    @FunctionalInterface
    interface Store {
        CompletionStage<DeliveryQueues.Settled> settle(String webhookId, DeliveryQueues.Head head, long now, long nextAttemptAt,
                Attempt attempt, String error);
    }

    private final Store store;
    private final RetrySchedule schedule;
    private final DeliveryMetrics metrics;
    private final LongSupplier clock;

    Settlement(Store store, RetrySchedule schedule, DeliveryMetrics metrics, LongSupplier clock) {
        this.store = store;
        this.schedule = schedule;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Records the answer to an attempt started at {@code started}; fails when Redis did (nothing counted). */
    CompletionStage<DeliveryQueues.Settled> settle(String webhookId, DeliveryQueues.Head head, WebhookSender.Outcome outcome,
            long started) {
        long now = clock.getAsLong();
        int attempt = head.failures() + 1;
        long nextAt = 0;
        String result = "delivered";
        if (!outcome.delivered()) {
            long firstFailure = head.firstFailureAt() == 0 ? now : head.firstFailureAt();
            nextAt = schedule.nextAttemptAt(attempt, firstFailure, now);
            result = nextAt < 0 ? "dead" : "retrying";
        }
        QueueEntry entry = head.entry();
        Attempt logged = new Attempt(entry.eventId(), entry.type(), entry.deviceId(), attempt, started, now - started, result,
                outcome.httpStatus() == 0 ? null : outcome.httpStatus(), outcome.error(), nextAt > 0 ? nextAt : null);
        String counted = result;
        return store.settle(webhookId, head, now, nextAt, logged, outcome.error()).thenApply(settled -> {
            if (settled == DeliveryQueues.Settled.MOVED) {
                metrics.attempted(counted, now - started);
            }
            return settled;
        });
    }
}
