package io.tether.webhook.delivery;

import io.tether.webhook.registry.Webhook;
import io.tether.webhook.registry.WebhookDirectory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Sends what is due, on every tick: per webhook it claims the devices whose queue head is due (at most the free
 * in-flight slots, a fair share per webhook), sends each head and records the outcome, which moves that device's queue
 * on or schedules the head again (see {@link RetrySchedule}). Instances share the work through the claims; a claim
 * that lapses (its instance died mid-send) is taken over, so an event may be sent twice, never lost.
 */
public final class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final int PER_WEBHOOK = 16;

    private final WebhookDirectory directory;
    private final DeliveryQueues queues;
    private final WebhookSender sender;
    private final RetrySchedule schedule;
    private final DeliveryMetrics metrics;
    private final int maxInFlight;
    private final long leaseMillis;
    private final LongSupplier clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean ticking = new AtomicBoolean();

    public Dispatcher(WebhookDirectory directory, DeliveryQueues queues, WebhookSender sender, RetrySchedule schedule,
            DeliveryMetrics metrics, int maxInFlight, long leaseMillis, LongSupplier clock) {
        this.directory = directory;
        this.queues = queues;
        this.sender = sender;
        this.schedule = schedule;
        this.metrics = metrics;
        this.maxInFlight = maxInFlight;
        this.leaseMillis = leaseMillis;
        this.clock = clock;
    }

    /** One pass; a tick while the previous one is still claiming does nothing. */
    public void tick() {
        if (!ticking.compareAndSet(false, true)) {
            return;
        }
        directory.refresh().thenCompose(v -> claim(directory.all(), 0)).whenComplete((v, error) -> {
            ticking.set(false);
            if (error != null) {
                LOG.warnf("webhook dispatch: %s", error.toString());
            }
        });
    }

    public int inFlight() {
        return inFlight.get();
    }

    private CompletionStage<Void> claim(List<Webhook> webhooks, int next) {
        int free = maxInFlight - inFlight.get();
        if (next >= webhooks.size() || free <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        Webhook webhook = webhooks.get(next);
        long now = clock.getAsLong();
        return queues.claim(webhook.id(), now, now + leaseMillis, Math.min(free, PER_WEBHOOK)).thenCompose(devices -> {
            for (String device : devices) {
                inFlight.incrementAndGet();
                deliver(webhook, device).whenComplete((v, error) -> {
                    inFlight.decrementAndGet();
                    if (error != null) {
                        LOG.warnf("webhook %s, device %s: %s (tried again when the claim lapses)", webhook.id(), device, error.toString());
                    }
                });
            }
            return claim(webhooks, next + 1);
        });
    }

    private CompletionStage<Void> deliver(Webhook webhook, String device) {
        return queues.head(webhook.id(), device).thenCompose(head -> {
            if (head.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            long started = clock.getAsLong();
            return sender.send(webhook.url(), webhook.secret(), head.get().entry(), started)
                    .thenCompose(outcome -> settle(webhook, head.get(), outcome, started));
        });
    }

    private CompletionStage<Void> settle(Webhook webhook, DeliveryQueues.Head head, WebhookSender.Outcome outcome, long started) {
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
        metrics.attempted(result, now - started);
        return queues.settle(webhook.id(), head, now, nextAt, logged, outcome.error()).thenApply(moved -> null);
    }
}
