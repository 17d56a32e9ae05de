package io.tether.push.pipeline;

import io.tether.runtime.failure.Backoff;
import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.tether.contract.PushRequest;
import io.tether.runtime.tracing.MessagingSpans;
import io.tether.contract.Receipt;
import io.tether.push.apns.ApnsAnswer;
import io.tether.push.apns.ApnsClients;
import io.tether.push.device.DeviceStore;
import io.tether.push.device.PushTarget;
import io.tether.push.notification.BadPushOptionsException;
import io.tether.push.notification.NotificationFactory;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Takes one push request to its final outcome: check expiry → look up the device → pick the app's client →
 * build the notification → send, retrying what APNs or the network say is temporary → map APNs' answer to a
 * receipt, invalidating dead tokens on the way. Never blocks: retries wait on a scheduler, not a thread.
 * The stage fails only when Redis fails (the caller retries the request).
 */
public final class PushProcessor {
    private static final Logger LOG = Logger.getLogger(PushProcessor.class);
    static final AttributeKey<String> APNS_ID = AttributeKey.stringKey("apns.id");
    static final AttributeKey<String> PUSH_TYPE = AttributeKey.stringKey("apns.push_type");
    static final AttributeKey<Long> PRIORITY = AttributeKey.longKey("apns.priority");
    static final AttributeKey<String> TOPIC = AttributeKey.stringKey("apns.topic");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("apns.outcome");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("apns.reason");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("tether.attempt");

    private final DeviceStore devices;
    private final ApnsClients clients;
    private final NotificationFactory notifications;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private final PushMetrics metrics;
    private final Clock clock;
    private final Tracer tracer;

    public PushProcessor(DeviceStore devices, ApnsClients clients, NotificationFactory notifications, Backoff backoff,
            ScheduledExecutorService scheduler, PushMetrics metrics, Clock clock, Tracer tracer) {
        this.tracer = tracer;
        this.devices = devices;
        this.clients = clients;
        this.notifications = notifications;
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** One send of one notification to one device, with what is needed to judge the answer. */
    private record Attempt(PushRequest request, PushTarget device, ApnsClient client, SimpleApnsPushNotification push, Context trace) {
        String apnsId() {
            return push.getApnsId().toString();
        }
    }

    /** @param trace where the APNs attempts' spans go (the request's "process" span) */
    public CompletionStage<Receipt> process(PushRequest request, Context trace) {
        if (isExpired(request)) {
            return done(failed(request, "expired", null));
        }
        return devices.find(request.deviceId()).thenCompose(device -> push(request, device, trace));
    }

    private CompletionStage<Receipt> push(PushRequest request, Optional<PushTarget> found, Context trace) {
        if (found.isEmpty()) {
            return done(failed(request, "unknown-device", null));
        }
        PushTarget device = found.get();
        if ("tvos".equalsIgnoreCase(device.platform())) {
            return done(failed(request, "no-push-on-platform", null)); // fanout should never ask
        }
        if (device.pushToken() == null) {
            return done(failed(request, "no-push-token", null));
        }
        Optional<ApnsClient> client = clients.find(device.appId(), device.environment());
        if (client.isEmpty()) {
            return done(failed(request, "app-not-configured", null));
        }
        NotificationFactory.Notification notification;
        try {
            notification = notifications.build(request, device.pushToken(), device.appId());
        } catch (BadPushOptionsException e) {
            return done(failed(request, "bad-push-options: " + e.getMessage(), null));
        }
        return attempt(new Attempt(request, device, client.get(), notification.push(), trace), 1);
    }

    private CompletionStage<Receipt> attempt(Attempt attempt, int number) {
        Span span = startApnsSpan(attempt, number);
        return MessagingSpans.endWhenDone(span, attemptIn(attempt, number, span));
    }

    /** One APNs request (no instrumentation covers Pushy): id, push type, priority, and what APNs answered. */
    private Span startApnsSpan(Attempt attempt, int number) {
        SimpleApnsPushNotification push = attempt.push();
        var builder = tracer.spanBuilder("apns push")
                .setParent(attempt.trace() == null ? Context.root() : attempt.trace())
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(APNS_ID, attempt.apnsId())
                .setAttribute(TOPIC, push.getTopic())
                .setAttribute(MessagingSpans.MESSAGE_ID, attempt.request().messageId())
                .setAttribute(MessagingSpans.DEVICE_ID, attempt.request().deviceId())
                .setAttribute(ATTEMPT, (long) number);
        if (push.getPushType() != null) {
            builder.setAttribute(PUSH_TYPE, push.getPushType().getHeaderValue());
        }
        if (push.getPriority() != null) {
            builder.setAttribute(PRIORITY, (long) push.getPriority().getCode());
        }
        return builder.startSpan();
    }

    private CompletionStage<Receipt> attemptIn(Attempt attempt, int number, Span span) {
        long started = System.nanoTime();
        CompletableFuture<? extends PushNotificationResponse<SimpleApnsPushNotification>> sent;
        try {
            sent = attempt.client().sendNotification(attempt.push());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle(ApnsAnswer::of).thenCompose(answer -> {
            metrics.apnsLatency(System.nanoTime() - started, answer.kind().name().toLowerCase(Locale.ROOT));
            span.setAttribute(OUTCOME, answer.kind().name().toLowerCase(Locale.ROOT));
            if (answer.status() > 0) {
                span.setAttribute(STATUS, (long) answer.status());
            }
            if (answer.reason() != null) {
                span.setAttribute(REASON, answer.reason());
            }
            if (answer.kind() != ApnsAnswer.Kind.ACCEPTED) {
                span.setStatus(StatusCode.ERROR, String.valueOf(answer.reason()));
            }
            return switch (answer.kind()) {
                case ACCEPTED -> done(receipt(attempt.request(), Receipt.Outcome.PUSHED, null, attempt.apnsId()));
                case REJECTED -> rejected(attempt, answer);
                case RETRY -> retry(attempt, answer, number);
            };
        });
    }

    /** A rejection is permanent (Pushy's contract); a dead token leaves the registry. */
    private CompletionStage<Receipt> rejected(Attempt attempt, ApnsAnswer answer) {
        String reason = answer.reason();
        if ("BadDeviceToken".equals(reason)) {
            // The usual cause: a sandbox (development build) token sent to production or the other way round.
            reason = "BadDeviceToken (environment mismatch? token registered as " + attempt.device().environment().wire() + ")";
        }
        Receipt receipt = failed(attempt.request(), reason, attempt.apnsId());
        if (!answer.invalidatesToken()) {
            return done(receipt);
        }
        String deviceId = attempt.device().deviceId();
        return devices.invalidateToken(deviceId, attempt.device().pushToken(), answer.tokenInvalidatedAt()).thenApply(removed -> {
            if (removed) {
                metrics.tokenInvalidated();
                LOG.infof("device %s: push token removed (%s)", deviceId, answer.reason());
            }
            return receipt;
        });
    }

    /** 429, 5xx and failed sends: again after a backoff, as long as the message lives. */
    private CompletionStage<Receipt> retry(Attempt attempt, ApnsAnswer answer, int number) {
        long delay = backoff.delay(number).toMillis();
        if (clock.millis() + delay >= attempt.request().expiresAt()) {
            LOG.warnf("message %s to device %s: giving up after %d attempts: %s", attempt.request().messageId(),
                    attempt.device().deviceId(), number, answer.reason());
            return done(failed(attempt.request(), "retries-exhausted: " + answer.reason(), attempt.apnsId()));
        }
        metrics.retry(answer.reason());
        LOG.debugf("message %s: attempt %d failed (%s), retrying in %d ms", attempt.request().messageId(), number,
                answer.reason(), delay);
        CompletableFuture<Receipt> next = new CompletableFuture<>();
        try {
            scheduler.schedule(() -> attempt(attempt, number + 1).whenComplete((receipt, error) -> {
                if (error != null) {
                    next.completeExceptionally(error);
                } else {
                    next.complete(receipt);
                }
            }), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            next.completeExceptionally(stopping); // shutting down: the request stays uncommitted and is redone
        }
        return next;
    }

    private boolean isExpired(PushRequest request) {
        return request.expiresAt() <= clock.millis();
    }

    private Receipt failed(PushRequest request, String reason, String apnsId) {
        return receipt(request, Receipt.Outcome.PUSH_FAILED, reason, apnsId);
    }

    private Receipt receipt(PushRequest request, Receipt.Outcome outcome, String reason, String apnsId) {
        return new Receipt(request.deviceId(), request.messageId(), 0, outcome, reason, clock.millis(), apnsId);
    }

    private static CompletionStage<Receipt> done(Receipt receipt) {
        return CompletableFuture.completedFuture(receipt);
    }
}
