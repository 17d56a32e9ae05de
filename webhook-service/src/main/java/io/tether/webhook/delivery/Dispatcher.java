package io.tether.webhook.delivery;

import io.tether.webhook.registry.Webhook;
import io.tether.webhook.registry.WebhookDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Sends what is due, on every tick: per webhook it claims the devices whose queue head is due, sends each head and
 * records the outcome, which moves that device's queue on or schedules the head again (see {@link RetrySchedule}).
 * Instances share the work through the claims; a claim that lapses (its instance died mid-send) is taken over, so an
 * event may be sent twice, never lost.
 *
 * <p>Fair between webhooks: each webhook has at most an equal share of {@code maxInFlight} in flight (at least 1), the
 * share being divided among the webhooks that had due deliveries or deliveries in flight on the last tick (all of
 * them on the first), and each tick starts at the next webhook. Even alone, one webhook leaves slots free for the
 * others (one per other webhook, at most a quarter of them), so a webhook whose first event comes while a slow or dead
 * receiver holds all it may starts at once; beyond those, a webhook that becomes busy while others are over the new
 * share gets its slots as their attempts end (each within the request timeout).
 */
public final class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final WebhookDirectory directory;
    private final DeliveryQueues queues;
    private final WebhookSender sender;
    private final Settlement settlement;
    private final int maxInFlight;
    private final long leaseMillis;
    private final LongSupplier clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, Integer> inFlightByWebhook = new ConcurrentHashMap<>();
    private final AtomicBoolean ticking = new AtomicBoolean();
    /** Ticks started; the webhook a tick starts at. Only the tick in progress (one at a time) reads and moves it. */
    private long ticks;
    /** Webhooks with due deliveries on the last tick, or -1 before the first tick. */
    private volatile int busyLastTick = -1;

    public Dispatcher(WebhookDirectory directory, DeliveryQueues queues, WebhookSender sender, RetrySchedule schedule,
            DeliveryMetrics metrics, int maxInFlight, long leaseMillis, LongSupplier clock) {
        this.directory = directory;
        this.queues = queues;
        this.sender = sender;
        this.settlement = new Settlement(queues::settle, schedule, metrics, clock);
        this.maxInFlight = maxInFlight;
        this.leaseMillis = leaseMillis;
        this.clock = clock;
    }

    /**
     * One pass; a tick while the previous one is still claiming does nothing. Completes once it has claimed (what it
     * claimed is still being sent), never exceptionally.
     */
    public CompletionStage<Void> tick() {
        if (!ticking.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        return directory.refresh().thenCompose(v -> {
            List<Webhook> webhooks = rotated(directory.all(), ticks++);
            int busy = busyLastTick < 0 ? webhooks.size() : busyLastTick;
            int share = share(maxInFlight, busy, webhooks.size());
            return claim(webhooks, 0, share, 0);
        }).whenComplete((busy, error) -> {
            if (error != null) {
                LOG.warnf("webhook dispatch: %s", error.toString());
            } else {
                busyLastTick = busy;
            }
            ticking.set(false);
        }).handle((busy, error) -> null);
    }

    public int inFlight() {
        return inFlight.get();
    }

    /**
     * What one webhook may have in flight: an equal part among the {@code busy} ones, but never the slots kept free for
     * the other webhooks (one each, at most a quarter of all), and at least one.
     */
    static int share(int maxInFlight, int busy, int webhooks) {
        int keptFree = webhooks > 1 ? Math.max(1, Math.min(webhooks - 1, maxInFlight / 4)) : 0;
        return Math.max(1, Math.min(maxInFlight / Math.max(1, busy), maxInFlight - keptFree));
    }

    /** The webhooks from the {@code tick}-th on, then those before it. */
    private static List<Webhook> rotated(List<Webhook> webhooks, long tick) {
        if (webhooks.isEmpty()) {
            return webhooks;
        }
        int start = (int) Math.floorMod(tick, (long) webhooks.size());
        List<Webhook> order = new ArrayList<>(webhooks.subList(start, webhooks.size()));
        order.addAll(webhooks.subList(0, start));
        return order;
    }

    /**
     * Claims for each webhook from {@code next} on what its share and the free slots allow; a webhook with no room
     * still has its due deliveries counted. Answers how many webhooks had due deliveries, {@code busy} included.
     */
    private CompletionStage<Integer> claim(List<Webhook> webhooks, int next, int share, int busy) {
        if (next >= webhooks.size()) {
            return CompletableFuture.completedFuture(busy);
        }
        Webhook webhook = webhooks.get(next);
        int room = Math.min(maxInFlight - inFlight.get(), share - inFlightByWebhook.getOrDefault(webhook.id(), 0));
        long now = clock.getAsLong();
        return queues.claim(webhook.id(), now, now + leaseMillis, room).thenCompose(claimed -> {
            claimed.devices().forEach(device -> start(webhook, device));
            boolean isBusy = claimed.due() > 0 || inFlightByWebhook.getOrDefault(webhook.id(), 0) > 0;
            return claim(webhooks, next + 1, share, isBusy ? busy + 1 : busy);
        });
    }

    private void start(Webhook webhook, String device) {
        inFlight.incrementAndGet();
        inFlightByWebhook.merge(webhook.id(), 1, Integer::sum);
        deliver(webhook, device).whenComplete((v, error) -> {
            inFlightByWebhook.computeIfPresent(webhook.id(), (id, n) -> n > 1 ? n - 1 : null);
            inFlight.decrementAndGet();
            if (error != null) {
                LOG.warnf("webhook %s, device %s: %s (tried again when the claim lapses)", webhook.id(), device, error.toString());
            }
        });
    }

    private CompletionStage<Void> deliver(Webhook webhook, String device) {
        return queues.head(webhook.id(), device).thenCompose(head -> {
            if (head.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            long started = clock.getAsLong();
            return sender.send(webhook.url(), webhook.secret(), head.get().entry(), started)
                    .thenCompose(outcome -> settlement.settle(webhook.id(), head.get(), outcome, started)).thenApply(settled -> null);
        });
    }

}
