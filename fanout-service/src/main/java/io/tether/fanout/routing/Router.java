package io.tether.fanout.routing;

import io.tether.contract.DeliveryStatus;
import io.tether.contract.Json;
import io.tether.contract.KafkaSend;
import io.tether.contract.PresenceEvent;
import io.tether.contract.Receipt;
import io.tether.contract.Target;
import io.tether.contract.Topics;
import io.tether.fanout.intake.DownstreamCodec;
import io.tether.fanout.intake.OutgoingMessage;
import io.tether.fanout.status.StatusStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.jboss.logging.Logger;

/**
 * Decides what happens to each record of the per-device topics. Everything about a device arrives on the
 * same partition number of each topic, so one consumer handles a device's messages, presence and receipts
 * in order; each step is one atomic Redis script, so a redelivered record changes nothing twice.
 */
public final class Router {
    private static final Logger LOG = Logger.getLogger(Router.class);

    private final DeviceQueue queue;
    private final DeliverySender deliveries;
    private final StatusStore statuses;
    private final Producer<String, byte[]> producer;

    public Router(DeviceQueue queue, DeliverySender deliveries, StatusStore statuses, Producer<String, byte[]> producer) {
        this.queue = queue;
        this.deliveries = deliveries;
        this.statuses = statuses;
        this.producer = producer;
    }

    /**
     * Handles one record; the stage completes once its effects are durable (then its offset may be committed).
     *
     * @throws IllegalArgumentException for a record that can never be handled (it goes to the dead-letter topic)
     */
    public CompletionStage<Void> route(ConsumerRecord<String, byte[]> record) {
        return switch (record.topic()) {
            case Topics.DOWNSTREAM -> onMessage(DownstreamCodec.fromRecord(record));
            case Topics.PRESENCE -> onPresence(Json.fromBytes(record.value(), PresenceEvent.class));
            case Topics.RECEIPTS -> onReceipt(Json.fromBytes(record.value(), Receipt.class));
            default -> throw new IllegalArgumentException("unexpected topic " + record.topic());
        };
    }

    private CompletionStage<Void> onMessage(OutgoingMessage message) {
        Target target = message.target();
        if (target.device() != null) {
            return statuses.recordDevices(message, List.of(target.device()))
                    .thenCompose(v -> enqueueAndPump(target.device(), message));
        }
        CompletionStage<List<String>> devices = target.user() != null
                ? statuses.devicesOfUser(target.user())
                : CompletableFuture.completedFuture(target.devices() == null ? List.of() : target.devices().stream().distinct().toList());
        return devices.thenCompose(ids -> statuses.recordDevices(message, ids).thenCompose(v -> fanOut(message, ids)));
    }

    /** One record per device, keyed by device, so each device's partition owner queues it in order. */
    private CompletionStage<Void> fanOut(OutgoingMessage message, List<String> deviceIds) {
        List<CompletableFuture<Void>> sends = deviceIds.stream()
                .map(id -> KafkaSend.send(producer, DownstreamCodec.toRecord(message.forDevice(id))))
                .toList();
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    private CompletionStage<Void> enqueueAndPump(String deviceId, OutgoingMessage message) {
        long ttl = statuses.ttlSeconds(message, System.currentTimeMillis());
        return queue.enqueue(deviceId, InboxEntry.of(message, deviceId), ttl).thenCompose(status -> {
            if (!DeliveryStatus.QUEUED.wire().equals(status)) {
                LOG.debugf("message %s for %s: %s", message.messageId(), deviceId, status);
            }
            return pump(deviceId);
        });
    }

    private CompletionStage<Void> onPresence(PresenceEvent event) {
        return queue.applyPresence(event).thenCompose(changed -> changed ? pump(event.deviceId()) : done());
    }

    private CompletionStage<Void> onReceipt(Receipt receipt) {
        CompletionStage<Boolean> settled = switch (receipt.outcome()) {
            case DELIVERED -> queue.settle(receipt.deviceId(), receipt.messageId(), DeliveryStatus.DELIVERED.wire(), null, "live", statusTtl());
            case REJECTED -> queue.settle(receipt.deviceId(), receipt.messageId(), DeliveryStatus.FAILED.wire(), receipt.reason(), "live", statusTtl());
            case NOT_DELIVERED -> CompletableFuture.completedFuture(false);
        };
        // An acknowledgement frees room in the device's window.
        return settled.thenCompose(v -> pump(receipt.deviceId()));
    }

    /** Hands the device's next inbox entries to its gateway when it is live; otherwise they wait in the inbox. */
    private CompletionStage<Void> pump(String deviceId) {
        return queue.nextDispatch(deviceId, statuses.openStatusTtlSeconds()).thenCompose(dispatch -> {
            if (dispatch.isEmpty() || dispatch.get().entries().isEmpty()) {
                return done();
            }
            return deliveries.send(deviceId, dispatch.get()).handle((ok, error) -> {
                if (error == null) {
                    return done();
                }
                LOG.warnf("hand-over to %s failed for %s: %s", dispatch.get().gatewayId(), deviceId, error.getMessage());
                // Not handed over: send again from the start next time; the record is retried.
                return queue.rewind(deviceId).thenCompose(v -> CompletableFuture.<Void>failedFuture(error));
            }).thenCompose(stage -> stage);
        });
    }

    private long statusTtl() {
        return statuses.finalStatusTtlSeconds();
    }


    private static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}
