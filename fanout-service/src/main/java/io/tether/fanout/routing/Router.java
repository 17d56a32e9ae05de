package io.tether.fanout.routing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.tether.contract.DeliveryStatus;
import io.tether.contract.Json;
import io.tether.contract.PresenceEvent;
import io.tether.contract.Receipt;
import io.tether.contract.Target;
import io.tether.contract.Topics;
import io.tether.fanout.events.StatusEvents;
import io.tether.fanout.intake.DownstreamCodec;
import io.tether.fanout.intake.OutgoingMessage;
import io.tether.fanout.metrics.FanoutMetrics;
import io.tether.fanout.status.MessageRecords;
import io.tether.inbox.Inbox;
import io.tether.inbox.InboxEntry;
import io.tether.inbox.Pump;
import io.tether.inbox.RoutingPolicy;
import io.tether.runtime.tracing.MessagingSpans;
import io.tether.runtime.tracing.TraceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;

/**
 * Decides what happens to each record of the per-device topics. Everything about a device arrives on the same
 * partition number of each topic, so one consumer handles a device's messages, presence and push outcomes in order.
 * Each record is one inbox script (queue and route, or apply presence and route), which hands live entries straight
 * to the gateway's delivery channel; what remains here is writing push requests and the expiry index.
 */
public final class Router {
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("tether.route");
    static final AttributeKey<String> FALLBACK_REASON = AttributeKey.stringKey("tether.fallback.reason");
    static final AttributeKey<Long> ENTRIES = AttributeKey.longKey("tether.entries");
    static final AttributeKey<String> INBOX_STATUS = AttributeKey.stringKey("tether.inbox.status");

    private final Inbox inbox;
    private final PushRequests pushes;
    private final ExpiryWriter expiries;
    private final MessageRecords statuses;
    private final Producer<String, byte[]> producer;
    private final MessagingSpans spans;
    private final FanoutMetrics metrics;
    private final StatusEvents events;

    /** Puts a device into the expiry index at a time ({@link ExpiryIndex#index}). */
    public interface ExpiryWriter {
        CompletionStage<Void> index(String deviceId, long at);
    }

    public Router(Inbox inbox, PushRequests pushes, ExpiryWriter expiries, MessageRecords statuses, Producer<String, byte[]> producer,
            MessagingSpans spans, FanoutMetrics metrics) {
        this(inbox, pushes, expiries, statuses, producer, spans, metrics, StatusEvents.NONE);
    }

    /** @param events where the status and presence changes decided here are reported */
    public Router(Inbox inbox, PushRequests pushes, ExpiryWriter expiries, MessageRecords statuses, Producer<String, byte[]> producer,
            MessagingSpans spans, FanoutMetrics metrics, StatusEvents events) {
        this.events = events;
        this.inbox = inbox;
        this.pushes = pushes;
        this.expiries = expiries;
        this.statuses = statuses;
        this.producer = producer;
        this.spans = spans;
        this.metrics = metrics;
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
            case Topics.RECEIPTS -> onReceipt(Json.fromBytes(record.value(), Receipt.class));
            default -> throw new IllegalArgumentException("unexpected topic " + record.topic());
        };
    }

    private CompletionStage<Void> onMessage(OutgoingMessage message, Context trace) {
        Target target = message.target();
        if (target.device() != null) {
            return toDevice(target.device(), message, trace);
        }
        if (target.devices() != null) {
            // The device list was recorded when the message was accepted.
            return fanOut(message, target.devices().stream().distinct().toList(), trace);
        }
        // A user's, a topic's or an app's devices: expanded now, within what the sending key may reach.
        return statuses.expand(message).thenCompose(ids -> statuses.record(message, ids).thenCompose(v -> fanOut(message, ids, trace)));
    }

    /** One record per device, keyed by device, so each device's partition owner queues it in order. */
    private CompletionStage<Void> fanOut(OutgoingMessage message, List<String> deviceIds, Context trace) {
        CompletableFuture<?>[] sends = deviceIds.stream()
                .map(id -> spans.send(producer, DownstreamCodec.toRecord(message.forDevice(id)), trace))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(sends);
    }

    /**
     * Queues and routes in one script. The entry keeps the trace context of this "route" span: whatever later moves
     * it along (a presence change, an acknowledgement), its hand-over continues this message's trace.
     */
    private CompletionStage<Void> toDevice(String deviceId, OutgoingMessage message, Context trace) {
        if (message.push() != null && RoutingPolicy.isDirectPush(PushTypes.of(message.push()))) {
            return directPush(deviceId, message, trace);
        }
        Span span = spans.startInternal("route", trace);
        if (span.isRecording()) {
            span.setAttribute(MessagingSpans.DEVICE_ID, deviceId);
            span.setAttribute(MessagingSpans.MESSAGE_ID, message.messageId());
        }
        String traceparent = TraceContext.traceparent(trace.with(span));
        InboxEntry entry = Entries.of(message, deviceId, traceparent != null ? traceparent : message.traceparent());
        CompletionStage<Void> routed = inbox.route(deviceId, entry, statuses.ttlSeconds(message, System.currentTimeMillis()))
                .thenCompose(result -> {
                    if (span.isRecording()) {
                        span.setAttribute(INBOX_STATUS, result.status());
                    }
                    if (result.queuedNow()) {
                        metrics.routed("inbox", 1);
                        metrics.inboxDepth(result.depth());
                    } else if (result.failure() != null) {
                        metrics.status(DeliveryStatus.FAILED.wire(), result.failure());
                    }
                    result.overflowed().forEach(id -> metrics.status(DeliveryStatus.FAILED.wire(), "inbox-overflow"));
                    CompletionStage<Void> indexed = result.indexAt() > 0 ? expiries.index(deviceId, result.indexAt()) : done();
                    return indexed.thenCompose(v -> report(deviceId, message.messageId(), result))
                            .thenCompose(v -> follow(deviceId, result.pump(), span));
                });
        return MessagingSpans.endWhenDone(span, routed);
    }

    /** A Live Activity event or a VoIP call: straight to push-service, whatever the presence; never into the inbox. */
    private CompletionStage<Void> directPush(String deviceId, OutgoingMessage message, Context trace) {
        Span span = spans.startInternal("route", trace);
        String traceparent = TraceContext.traceparent(trace.with(span));
        InboxEntry entry = Entries.of(message, deviceId, traceparent != null ? traceparent : message.traceparent());
        CompletionStage<Void> sent = inbox.direct(deviceId, message.messageId(), statuses.ttlSeconds(message, System.currentTimeMillis()))
                .thenCompose(direct -> {
                    if (direct.failure() != null) {
                        metrics.status(DeliveryStatus.FAILED.wire(), direct.failure());
                    }
                    if (!direct.push()) {
                        return direct.failure() == null ? done()
                                : events.status(deviceId, message.messageId(), DeliveryStatus.FAILED.wire(), direct.failure(), null);
                    }
                    tag(span, "push", 1);
                    metrics.routed("push", 1);
                    return events.status(deviceId, message.messageId(), DeliveryStatus.QUEUED.wire(), null, "push")
                            .thenCompose(v -> pushes.send(deviceId, new Pump.Push("direct", "", "", "", 1, List.of(entry))));
                });
        return MessagingSpans.endWhenDone(span, sent);
    }

    private CompletionStage<Void> onPresence(PresenceEvent event, Context trace) {
        return inbox.presence(event).thenCompose(change -> {
            if (!change.applied()) {
                return done();
            }
            CompletionStage<Void> reported = done();
            if (event.kind() != PresenceEvent.Kind.RECEIVING) {
                metrics.presence(change.state());
                reported = events.presence(event, change.state(), change.appState(), change.deletedDeviceApp());
            }
            if (change.pump() instanceof Pump.Hold) {
                return reported;
            }
            Span span = spans.startInternal("route", trace);
            if (change.pump() instanceof Pump.Push) {
                // A deaf or suspended device's push reports no event here, so it need not wait for the presence
                // event's Kafka round trip: the fallback leaves at once; the record is done when both are durable.
                CompletionStage<Void> pushed = MessagingSpans.endWhenDone(span, follow(event.deviceId(), change.pump(), span));
                return CompletableFuture.allOf(reported.toCompletableFuture(), pushed.toCompletableFuture());
            }
            return reported.thenCompose(v -> MessagingSpans.endWhenDone(span, follow(event.deviceId(), change.pump(), span)));
        });
    }

    /** Push outcomes come from push-service; delivered and refused ones only from gateways before this version. */
    private CompletionStage<Void> onReceipt(Receipt receipt) {
        String device = receipt.deviceId();
        String message = receipt.messageId();
        return switch (receipt.outcome()) {
            case PUSHED -> inbox.pushed(device, message, receipt.apnsId())
                    .thenCompose(changed -> count(device, message, changed, DeliveryStatus.PUSHED, null, "push"));
            case PUSH_FAILED -> inbox.pushFailed(device, message, receipt.reason());
            case DELIVERED -> inbox.acknowledge(device, message, DeliveryStatus.DELIVERED.wire(), null, receipt.epoch(), "")
                    .thenCompose(acked -> count(device, message, acked.changed(), DeliveryStatus.DELIVERED, null, "live"));
            case REJECTED -> inbox.acknowledge(device, message, DeliveryStatus.FAILED.wire(), receipt.reason(), receipt.epoch(), "")
                    .thenCompose(acked -> count(device, message, acked.changed(), DeliveryStatus.FAILED, receipt.reason(), "live"));
            case NOT_DELIVERED -> done();
        };
    }

    private CompletionStage<Void> count(String device, String message, boolean changed, DeliveryStatus status, String reason,
            String route) {
        if (!changed) {
            return done();
        }
        metrics.status(status.wire(), reason);
        return events.status(device, message, status.wire(), reason, route);
    }

    /**
     * The status changes of one routing step, for backends: queued (unless it was handed over live at once: its next
     * status follows from the gateway), failed at routing, and older messages that gave way at the inbox bound.
     */
    private CompletionStage<Void> report(String deviceId, String messageId, Inbox.Routed result) {
        List<CompletionStage<Void>> reports = new ArrayList<>();
        if (DeliveryStatus.QUEUED.wire().equals(result.status()) && !result.handedOver()) {
            reports.add(events.status(deviceId, messageId, DeliveryStatus.QUEUED.wire(), null, "inbox"));
        }
        if (result.failure() != null) {
            reports.add(events.status(deviceId, messageId, DeliveryStatus.FAILED.wire(), result.failure(), null));
        }
        if (!result.overflowed().isEmpty()) {
            reports.add(events.statuses(deviceId, result.overflowed(), DeliveryStatus.FAILED.wire(), "inbox-overflow"));
        }
        return CompletableFuture.allOf(reports.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new));
    }

    /** What the script decided: live entries are already on their way; push candidates are written, then confirmed. */
    private CompletionStage<Void> follow(String deviceId, Pump pump, Span route) {
        if (pump instanceof Pump.Live live) {
            tag(route, "live", live.handedOver());
            metrics.routed("live", live.handedOver());
            metrics.expired(live.expired());
            return events.statuses(deviceId, live.expiredIds(), DeliveryStatus.EXPIRED.wire(), "ttl");
        }
        if (!(pump instanceof Pump.Push push)) {
            tag(route, "inbox", 0);
            return done();
        }
        tag(route, "push", push.entries().size());
        if (route.isRecording()) {
            route.setAttribute(FALLBACK_REASON, push.reason());
        }
        return pushes.send(deviceId, push)
                .thenCompose(v -> inbox.confirmPush(deviceId, push))
                .thenCompose(confirmed -> {
                    metrics.fallback(push.reason(), push.entries().size());
                    metrics.routed("push", push.entries().size());
                    return push.isFullBatch() ? inbox.pump(deviceId).thenCompose(next -> follow(deviceId, next, route)) : done();
                });
    }

    private static void tag(Span route, String kind, int entries) {
        if (route.isRecording()) {
            route.setAttribute(ROUTE, kind);
            route.setAttribute(ENTRIES, (long) entries);
        }
    }

    private static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}
