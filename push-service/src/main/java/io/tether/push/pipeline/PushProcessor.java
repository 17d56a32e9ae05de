package io.tether.push.pipeline;

import io.tether.runtime.failure.Backoff;
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
import io.tether.push.apns.ApnsRoutes;
import io.tether.push.device.CarriedRecipient;
import io.tether.push.device.PushTargets;
import io.tether.push.device.PushTarget;
import com.eatthepath.pushy.apns.PushType;
import io.tether.contract.PushTokenSlot;
import io.tether.push.apns.ApnsApp;
import io.tether.pushoptions.BadPushOptionsException;
import io.tether.pushoptions.NotificationFactory;
import io.tether.pushoptions.PushOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Takes one push request to its final outcome: check expiry → read the options → take the device's token of the kind
 * they need (the one fanout carried while it is fresh, else the registry's) → pick the app's client and check what it
 * may send → build the notification → wait for the app's rate limit → send, retrying what APNs or the network say is
 * temporary → map APNs' answer to a receipt, invalidating dead tokens on the way. Never blocks: retries wait on a
 * scheduler, not a thread. The stage fails only when Redis fails (the caller retries the request).
 */
public final class PushProcessor {
    private static final Logger LOG = Logger.getLogger(PushProcessor.class);
    private static final String NONE = "none";
    static final AttributeKey<String> APNS_ID = AttributeKey.stringKey("apns.id");
    static final AttributeKey<String> PUSH_TYPE = AttributeKey.stringKey("apns.push_type");
    static final AttributeKey<Long> PRIORITY = AttributeKey.longKey("apns.priority");
    static final AttributeKey<String> TOPIC = AttributeKey.stringKey("apns.topic");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("apns.outcome");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("apns.reason");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("tether.attempt");

    private final PushTargets devices;
    private final ApnsRoutes clients;
    private final NotificationFactory notifications;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private final PushMetrics metrics;
    private final Clock clock;
    private final Tracer tracer;
    private final AppRateLimiter limiter;

    public PushProcessor(PushTargets devices, ApnsRoutes clients, NotificationFactory notifications, Backoff backoff,
            ScheduledExecutorService scheduler, PushMetrics metrics, Clock clock, Tracer tracer, AppRateLimiter limiter) {
        this.tracer = tracer;
        this.limiter = limiter;
        this.devices = devices;
        this.clients = clients;
        this.notifications = notifications;
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** One send of one notification to one device, with what is needed to judge the answer. */
    private record Attempt(PushRequest request, PushOptions options, PushTarget device, boolean carried, ApnsRoutes.Sender sender,
            SimpleApnsPushNotification push, Context trace) {
        String apnsId() {
            return push.getApnsId().toString();
        }
    }

    /**
     * The receipt of a request, with the app (its configured bundle id, {@code *} for the catch-all app, none when
     * there was no app) and push type (none when the options could not be read), for metrics.
     */
    public record Outcome(Receipt receipt, String app, String pushType) {
    }

    /** @param trace where the APNs attempts' spans go (the request's "process" span) */
    public CompletionStage<Outcome> process(PushRequest request, Context trace) {
        if (isExpired(request)) {
            return done(failed(request, "expired", null), NONE, NONE);
        }
        PushOptions options;
        try {
            options = PushOptions.parse(request.push());
        } catch (BadPushOptionsException e) {
            return done(failed(request, "bad-push-options: " + e.getMessage(), null), NONE, NONE);
        }
        Optional<PushTarget> carried = CarriedRecipient.target(request, options.tokenSlot(), clock.millis());
        if (carried.isPresent()) {
            return push(request, options, carried, true, trace);
        }
        return devices.find(request.deviceId(), options.tokenSlot())
                .thenCompose(device -> push(request, options, device, false, trace));
    }

    private CompletionStage<Outcome> push(PushRequest request, PushOptions options, Optional<PushTarget> found, boolean carried,
            Context trace) {
        String type = options.type().getHeaderValue();
        if (found.isEmpty()) {
            return done(failed(request, "unknown-device", null), NONE, type);
        }
        PushTarget device = found.get();
        if ("tvos".equalsIgnoreCase(device.platform())) {
            return done(failed(request, "no-push-on-platform", null), NONE, type); // fanout should never ask
        }
        if (device.pushToken() == null) {
            return done(failed(request, noToken(device.slot()), null), NONE, type);
        }
        Optional<ApnsRoutes.Route> resolved = clients.resolve(device.appId(), device.environment());
        if (resolved.isEmpty()) {
            return done(failed(request, "app-not-configured", null), NONE, type);
        }
        ApnsApp app = resolved.get().app();
        if (!app.pushTypes().contains(options.type())) {
            return done(failed(request, "push-type-not-allowed: " + type + " for app " + app.name(), null), app.bundleId(), type);
        }
        if (!app.environments().contains(device.environment())) {
            return done(failed(request, "environment-not-allowed: " + device.environment().wire() + " for app " + app.name(), null),
                    app.bundleId(), type);
        }
        NotificationFactory.Notification notification;
        try {
            notification = notifications.build(request, options, device.pushToken(), device.appId());
        } catch (BadPushOptionsException e) {
            return done(failed(request, "bad-push-options: " + e.getMessage(), null), app.bundleId(), type);
        }
        Attempt attempt = new Attempt(request, options, device, carried, resolved.get().sender(), notification.push(),
                trace);
        // A VoIP push is a call ringing: it never waits behind the app's other notifications.
        CompletionStage<Void> turn = options.type() == PushType.VOIP ? CompletableFuture.completedFuture(null) : limiter.acquire(app);
        return turn.thenCompose(v -> isExpired(request) ? done(failed(request, "expired", null)) : attempt(attempt, 1))
                .thenApply(receipt -> new Outcome(receipt, app.bundleId(), type));
    }

    /** Why there was nothing to send to: the reason names the kind of token that is missing. */
    static String noToken(PushTokenSlot slot) {
        return switch (slot.kind()) {
            case ALERT -> "no-push-token";
            case VOIP -> "no-voip-token";
            case PUSH_TO_START -> "no-push-to-start-token: " + slot.qualifier();
            case LIVE_ACTIVITY -> "no-activity-token: " + slot.qualifier();
        };
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
            sent = attempt.sender().send(attempt.push());
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

    /**
     * A rejection is permanent (Pushy's contract); a dead token leaves the registry. A token fanout carried is checked
     * against the registry first: when the app registered another one since, the push goes to that one instead.
     */
    private CompletionStage<Receipt> rejected(Attempt attempt, ApnsAnswer answer) {
        if (!attempt.carried() || !invalidatesToken(attempt, answer)) {
            return rejectedFinally(attempt, answer);
        }
        PushTarget sent = attempt.device();
        return devices.find(sent.deviceId(), sent.slot()).thenCompose(current -> {
            String token = current.map(PushTarget::pushToken).orElse(null);
            if (token == null || token.equals(sent.pushToken())) {
                return rejectedFinally(attempt, answer);
            }
            LOG.debugf("message %s: the token fanout carried was refused (%s); the device has a newer one",
                    attempt.request().messageId(), answer.reason());
            return push(attempt.request(), attempt.options(), current, false, attempt.trace()).thenApply(Outcome::receipt);
        });
    }

    private CompletionStage<Receipt> rejectedFinally(Attempt attempt, ApnsAnswer answer) {
        String reason = answer.reason();
        if ("BadDeviceToken".equals(reason)) {
            // The usual cause: a sandbox (development build) token sent to production or the other way round.
            reason = "BadDeviceToken (environment mismatch? token registered as " + attempt.device().environment().wire() + ")";
        }
        Receipt receipt = failed(attempt.request(), reason, attempt.apnsId());
        if (!invalidatesToken(attempt, answer)) {
            return done(receipt);
        }
        PushTarget device = attempt.device();
        return devices.invalidateToken(device.deviceId(), device.slot(), device.pushToken(),
                removableIfSetBefore(answer.tokenInvalidatedAt(), device.tokenUpdatedAt())).thenApply(removed -> {
            if (removed) {
                metrics.tokenInvalidated();
                LOG.infof("device %s: %s token removed (%s)", device.deviceId(), device.slot(), answer.reason());
            }
            return receipt;
        });
    }

    private static boolean invalidatesToken(Attempt attempt, ApnsAnswer answer) {
        return answer.invalidatesToken(attempt.push().getTopic(), attempt.device().appId());
    }

    /**
     * A dead token is removed only if it was set before this time: before APNs saw it die (410 answers carry when), and
     * no later than when it was read for this push ({@code readUpdatedAt}, 0 when unknown). A push can wait minutes
     * for retries or its app's rate limit; an app that registered the token again meanwhile (e.g. for the other APNs
     * environment, the usual cause of BadDeviceToken) keeps it. Empty: remove it while it is the token that was sent.
     */
    static Optional<Instant> removableIfSetBefore(Optional<Instant> apnsSawItDie, long readUpdatedAt) {
        Optional<Instant> read = readUpdatedAt > 0 ? Optional.of(Instant.ofEpochMilli(readUpdatedAt + 1)) : Optional.empty();
        return java.util.stream.Stream.of(apnsSawItDie, read).flatMap(Optional::stream).min(Instant::compareTo);
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
            scheduler.schedule(() -> attempt(rebuilt(attempt), number + 1).whenComplete((receipt, error) -> {
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

    /**
     * The notification of a retry, built again: a fetch token in it was issued for the first attempt, and the
     * backoff of an APNs outage can outlast it. Same apns-id (derived from message and device).
     */
    private Attempt rebuilt(Attempt attempt) {
        try {
            SimpleApnsPushNotification push = notifications.build(attempt.request(), attempt.options(),
                    attempt.device().pushToken(), attempt.device().appId()).push();
            return new Attempt(attempt.request(), attempt.options(), attempt.device(), attempt.carried(), attempt.sender(),
                    push, attempt.trace());
        } catch (BadPushOptionsException e) {
            return attempt; // it was built once from the same inputs
        }
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

    private static CompletionStage<Outcome> done(Receipt receipt, String app, String pushType) {
        return CompletableFuture.completedFuture(new Outcome(receipt, app, pushType));
    }
}
