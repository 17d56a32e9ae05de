package io.tether.webhook.delivery;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeviceFields;
import io.tether.contract.Json;
import io.tether.contract.RedisKeys;
import io.tether.contract.TetherEvent;
import io.tether.webhook.registry.Webhook;
import io.tether.webhook.registry.WebhookDirectory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Takes each record of {@code tether.events} into the queue of every webhook that wants it: an app's webhooks get its
 * devices' events, a key's webhooks the status changes of the messages it sent. The event gains the device's app on
 * the way (read from the device's record; a deleted device's last presence event brings it along). Records of one device come in order (the consumer keeps per-key order), so each queue is in event order;
 * a record read again after a restart is not queued twice (the queue remembers the offset it took last).
 */
public final class EventIntake {
    private final WebhookDirectory directory;
    private final DeliveryQueues queues;
    private final RedisAsyncCommands<String, String> redis;
    private final DeliveryMetrics metrics;
    private final LongSupplier clock;

    public EventIntake(WebhookDirectory directory, DeliveryQueues queues, RedisAsyncCommands<String, String> redis,
            DeliveryMetrics metrics, LongSupplier clock) {
        this.directory = directory;
        this.queues = queues;
        this.redis = redis;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Fails transiently while the webhooks have not been read yet ({@link WebhookDirectory#known()}): the record is
     * retried, not committed.
     *
     * @throws IllegalArgumentException for a record that is no event (it goes to the dead-letter topic)
     */
    public CompletionStage<Void> handle(ConsumerRecord<String, byte[]> record) {
        TetherEvent event = Json.fromBytes(record.value(), TetherEvent.class);
        if (event.data() == null || event.deviceId() == null || event.id() == null) {
            throw new IllegalArgumentException("event without id or device");
        }
        return directory.known().thenCompose(webhooks -> match(event, webhooks, record));
    }

    private CompletionStage<Void> match(TetherEvent event, List<Webhook> webhooks, ConsumerRecord<String, byte[]> record) {
        if (webhooks.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        // A deleted device's last presence event names the app itself: its record is gone.
        CompletionStage<String> app = redis.hget(RedisKeys.device(event.deviceId()).record(), DeviceFields.APP_ID)
                .thenApply(appId -> appId != null ? appId : event.data().appId());
        boolean keyWebhooks = webhooks.stream().anyMatch(w -> w.keyId() != null);
        CompletionStage<String> sender = keyWebhooks && event.data().messageId() != null
                ? redis.hget(RedisKeys.message(event.data().messageId()), "keyId") : CompletableFuture.completedFuture(null);
        return app.thenCombine(sender, (appId, keyId) -> webhooks.stream().filter(w -> w.wants(event.type(), appId, keyId))
                        .map(w -> enqueue(w, event.withAppId(appId), record).toCompletableFuture()).toArray(CompletableFuture[]::new))
                .thenCompose(CompletableFuture::allOf);
    }

    private CompletionStage<Void> enqueue(Webhook webhook, TetherEvent event, ConsumerRecord<String, byte[]> record) {
        QueueEntry entry = new QueueEntry(event.id(), event.type(), event.deviceId(), Json.toString(event));
        return queues.enqueue(webhook.id(), entry, record.partition(), record.offset(), clock.getAsLong()).thenAccept(result -> {
            if (result == DeliveryQueues.Enqueued.QUEUED) {
                metrics.queued();
            } else if (result == DeliveryQueues.Enqueued.OVERFLOWED) {
                metrics.overflowed();
            }
        });
    }
}
