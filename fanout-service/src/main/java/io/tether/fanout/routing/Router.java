package io.tether.fanout.routing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.tether.contract.DeliveryStatus;
import io.tether.contract.tracing.MessagingSpans;
import io.tether.contract.tracing.TraceContext;
import io.tether.contract.Json;
import io.tether.contract.PresenceEvent;
import io.tether.contract.Receipt;
import io.tether.contract.Target;
import io.tether.contract.Topics;
import io.tether.fanout.intake.DownstreamCodec;
import io.tether.fanout.intake.OutgoingMessage;
import io.tether.fanout.metrics.FanoutMetrics;
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
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("tether.route");
    static final AttributeKey<String> GATEWAY = AttributeKey.stringKey("tether.gateway.id");
    static final AttributeKey<Boolean> GATEWAY_ALIVE = AttributeKey.booleanKey("tether.gateway.alive");
    static final AttributeKey<String> FALLBACK_REASON = AttributeKey.stringKey("tether.fallback.reason");
    static final AttributeKey<Long> ENTRIES = AttributeKey.longKey("tether.entries");
    static final AttributeKey<String> INBOX_STATUS = AttributeKey.stringKey("tether.inbox.status");

    private final DeviceQueue queue;
    private final DeliverySender deliveries;
    private final PushRequests pushes;
    private final GatewayLiveness gateways;
    private final StatusStore statuses;
    private final ExpiryIndex expiries;
    private final Producer<String, byte[]> producer;
    private final MessagingSpans spans;
    private final FanoutMetrics metrics;

    public Router(DeviceQueue queue, DeliverySender deliveries, PushRequests pushes, GatewayLiveness gateways,
            StatusStore statuses, ExpiryIndex expiries, Producer<String, byte[]> producer, MessagingSpans spans,
            FanoutMetrics metrics) {
        this.spans = spans;
        this.metrics = metrics;
        this.queue = queue;
        this.deliveries = deliveries;
        this.pushes = pushes;
        this.gateways = gateways;
        this.statuses = statuses;
        this.expiries = expiries;
        this.producer = producer;
    }

    /**
     * Handles one record; the stage completes once its effects are durable (then its offset may be committed).
     *
     * @throws IllegalArgumentException for a record that can never be handled (it goes to the dead-letter topic)
     */
    public CompletionStage<Void> route(ConsumerRecord<String, byte[]> record, Context trace) {
        return switch (record.topic()) {
            case Topics.DOWNSTREAM -> onMessage(DownstreamCodec.fromRecord(record), trace);
            case Topics.PRESENCE -> onPresence(Json.fromBytes(record.value(), PresenceEvent.class), trace);
            case Topics.RECEIPTS -> onReceipt(Json.fromBytes(record.value(), Receipt.class), trace);
            default -> throw new IllegalArgumentException("unexpected topic " + record.topic());
        };
    }

    private CompletionStage<Void> onMessage(OutgoingMessage message, Context trace) {
        Target target = message.target();
        if (target.device() != null) {
            return statuses.recordDevices(message, List.of(target.device()))
                    .thenCompose(v -> enqueueAndPump(target.device(), message, trace));
        }
        CompletionStage<List<String>> devices = target.user() != null
                ? statuses.devicesOfUser(target.user())
                : CompletableFuture.completedFuture(target.devices() == null ? List.of() : target.devices().stream().distinct().toList());
        return devices.thenCompose(ids -> statuses.recordDevices(message, ids).thenCompose(v -> fanOut(message, ids, trace)));
    }

    /** One record per device, keyed by device, so each device's partition owner queues it in order. */
    private CompletionStage<Void> fanOut(OutgoingMessage message, List<String> deviceIds, Context trace) {
        List<CompletableFuture<Void>> sends = deviceIds.stream()
                .map(id -> spans.send(producer, DownstreamCodec.toRecord(message.forDevice(id)), trace))
                .toList();
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    /**
     * The entry keeps the trace context of its {@code enqueue} span: whatever record later moves it along (a
     * presence event, a receipt), its hand-over to a gateway or to push continues this message's trace.
     */
    private CompletionStage<Void> enqueueAndPump(String deviceId, OutgoingMessage message, Context trace) {
        long ttl = statuses.ttlSeconds(message, System.currentTimeMillis());
        Span span = spans.tracer().spanBuilder("enqueue inbox").setParent(trace).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(MessagingSpans.DEVICE_ID, deviceId)
                .setAttribute(MessagingSpans.MESSAGE_ID, message.messageId())
                .startSpan();
        InboxEntry entry = InboxEntry.of(message, deviceId).withTraceparent(traceparentOr(trace.with(span), message.traceparent()));
        CompletionStage<DeviceQueue.Enqueued> enqueuedStage = queue.enqueueCounted(deviceId, entry, ttl).whenComplete((result, error) -> {
            if (result != null) {
                span.setAttribute(INBOX_STATUS, result.status());
            }
        });
        return MessagingSpans.endWhenDone(span, enqueuedStage).thenCompose(enqueued -> {
            String status = enqueued.status();
            if (enqueued.queuedNow()) {
                metrics.routed("inbox", 1);
                metrics.inboxDepth(enqueued.depth());
            } else if (enqueued.failure() != null) {
                metrics.status(DeliveryStatus.FAILED.wire(), enqueued.failure());
            }
            if (!DeliveryStatus.QUEUED.wire().equals(status)) {
                LOG.debugf("message %s for %s: %s", message.messageId(), deviceId, status);
                return done();
            }
            return expiries.add(deviceId, message.messageId(), message.expiresAt()).thenCompose(v -> pump(deviceId, trace));
        });
    }

    private static String traceparentOr(Context context, String fallback) {
        String traceparent = TraceContext.traceparent(context);
        return traceparent != null ? traceparent : fallback;
    }

    private CompletionStage<Void> onPresence(PresenceEvent event, Context trace) {
        return queue.applyPresenceState(event).thenCompose(state -> {
            if (state.isEmpty()) {
                return done();
            }
            if (event.kind() != PresenceEvent.Kind.RECEIVING) {
                metrics.presence(state.get());
            }
            return pump(event.deviceId(), trace);
        });
    }

    private CompletionStage<Void> onReceipt(Receipt receipt, Context trace) {
        String device = receipt.deviceId();
        String message = receipt.messageId();
        CompletionStage<?> recorded = switch (receipt.outcome()) {
            case DELIVERED -> queue.settle(device, message, DeliveryStatus.DELIVERED.wire(), null, "live", statuses.finalStatusTtlSeconds())
                    .thenApply(changed -> count(changed, DeliveryStatus.DELIVERED.wire(), null));
            case REJECTED -> queue.settle(device, message, DeliveryStatus.FAILED.wire(), receipt.reason(), "live", statuses.finalStatusTtlSeconds())
                    .thenApply(changed -> count(changed, DeliveryStatus.FAILED.wire(), receipt.reason()));
            case PUSHED -> queue.markPushed(device, message, receipt.apnsId(), statuses.openStatusTtlSeconds())
                    .thenApply(changed -> count(changed, DeliveryStatus.PUSHED.wire(), null));
            case PUSH_FAILED -> queue.markPushFailed(device, message, receipt.reason());
            case NOT_DELIVERED -> done();
        };
        // An acknowledgement frees room in the device's window.
        return recorded.thenCompose(v -> receipt.outcome() == Receipt.Outcome.PUSHED || receipt.outcome() == Receipt.Outcome.PUSH_FAILED
                ? done() : pump(device, trace));
    }

    private boolean count(boolean changed, String status, String reason) {
        if (changed) {
            metrics.status(status, reason);
        }
        return changed;
    }

    /**
     * Moves the device's inbox along: hands the next entries to its gateway when it is live, otherwise asks for
     * the pushes its platform wants. Either way the entries stay in the inbox until acknowledged or expired.
     */
    private CompletionStage<Void> pump(String deviceId, Context trace) {
        // "route": the presence lookup and the decision, live hand-over or fallback (push and/or inbox).
        Span span = spans.tracer().spanBuilder("route").setParent(trace).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(MessagingSpans.DEVICE_ID, deviceId)
                .startSpan();
        CompletionStage<Void> pumped = queue.gatewayOf(deviceId)
                .thenCompose(gateway -> {
                    gateway.ifPresent(id -> span.setAttribute(GATEWAY, id));
                    return gateway.isEmpty() ? CompletableFuture.completedFuture(false) : gateways.isAlive(gateway.get());
                })
                .thenCompose(alive -> queue.nextDispatch(deviceId, alive, statuses.openStatusTtlSeconds()).thenCompose(dispatch -> {
                    span.setAttribute(GATEWAY_ALIVE, alive);
                    if (dispatch.isEmpty()) {
                        return fallBack(deviceId, alive, span);
                    }
                    span.setAttribute(ROUTE, "live");
                    span.setAttribute(ENTRIES, dispatch.get().entries().size());
                    metrics.expired(dispatch.get().expired());
                    return dispatch.get().entries().isEmpty() ? done() : handOver(deviceId, dispatch.get());
                }));
        return MessagingSpans.endWhenDone(span, pumped);
    }

    private CompletionStage<Void> handOver(String deviceId, DeviceQueue.Dispatch dispatch) {
        return deliveries.send(deviceId, dispatch).handle((ok, error) -> {
            if (error == null) {
                metrics.routed("live", dispatch.entries().size());
                return done();
            }
            LOG.warnf("hand-over to %s failed for %s: %s", dispatch.gatewayId(), deviceId, error.getMessage());
            // Not handed over: send again from the start next time; the record is retried.
            return queue.rewind(deviceId).thenCompose(v -> CompletableFuture.<Void>failedFuture(error));
        }).thenCompose(stage -> stage);
    }

    private CompletionStage<Void> fallBack(String deviceId, boolean gatewayAlive, Span route) {
        return queue.nextFallback(deviceId, gatewayAlive, statuses.openStatusTtlSeconds()).thenCompose(fallback -> {
            if (fallback.isEmpty()) {
                route.setAttribute(ROUTE, "inbox");
                return done();
            }
            if (fallback.get().entries().isEmpty()) {
                // A batch of data-only entries within the nudge interval: nothing to push, but look past it.
                route.setAttribute(ROUTE, "inbox");
                return fallback.get().isFullBatch() ? fallBack(deviceId, gatewayAlive, route) : done();
            }
            route.setAttribute(ROUTE, "push");
            route.setAttribute(FALLBACK_REASON, String.valueOf(fallback.get().reason()));
            route.setAttribute(ENTRIES, fallback.get().entries().size());
            return pushes.send(deviceId, fallback.get()).handle((ok, error) -> {
                if (error != null) {
                    return queue.undoFallback(deviceId, fallback.get()).thenCompose(v -> CompletableFuture.<Void>failedFuture(error));
                }
                metrics.fallback(fallback.get().reason(), fallback.get().entries().size());
                metrics.routed("push", fallback.get().entries().size());
                return fallback.get().isFullBatch() ? fallBack(deviceId, gatewayAlive, route) : done();
            }).thenCompose(stage -> stage);
        });
    }

    private static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}
