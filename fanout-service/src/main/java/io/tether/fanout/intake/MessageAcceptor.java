package io.tether.fanout.intake;

import io.opentelemetry.context.Context;
import io.tether.contract.Target;
import io.tether.fanout.attachments.MessageAttachments;
import io.tether.fanout.quota.AppQuotas;
import io.tether.fanout.rest.MessageRequests;
import io.tether.fanout.rest.PushAppCheck;
import io.tether.fanout.rest.SendMessageRequest;
import io.tether.fanout.status.Audiences;
import io.tether.fanout.status.StatusStore;
import io.tether.rest.auth.ApiPrincipal;
import io.tether.contract.problem.Problem;
import io.tether.rest.problem.ProblemException;
import io.tether.contract.problem.ProblemType;
import io.tether.rest.scope.DeviceApps;
import io.tether.runtime.failure.Failures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Accepts one {@code POST /v1/messages} (or one message of a batch), in this order: the request is valid; the devices
 * it names exist and are in the key's apps (else 404, as for unknown devices); their apps can send its push options
 * ({@link PushAppCheck}: 400, only now, so that a key learns nothing of other apps); a topic or an app reaches at most
 * {@code maxBroadcastDevices}; the record is written with its idempotency check (a retry with the same key and body
 * is answered with the first message's id, sent only if it may not have reached Kafka; another body is 422); each app
 * the message reaches is charged a message of its quota (429 with Retry-After, nothing recorded); an attachment
 * turns the payload into its signed descriptor document (an unknown upload: nothing recorded); then Kafka. A 202
 * follows only once Kafka has it.
 */
public final class MessageAcceptor {
    private final MessageRequests requests;
    private final MessageIntake intake;
    private final StatusStore statuses;
    private final DeviceApps deviceApps;
    private final AppQuotas quotas;
    private final PushAppCheck pushApps;
    private final MessageAttachments attachments;
    private final long maxBroadcastDevices;

    /** What the caller learns: the message's id, and whether it was accepted earlier under the same idempotency key. */
    public record Accepted(String messageId, boolean replayed) {
    }

    public MessageAcceptor(MessageRequests requests, MessageIntake intake, StatusStore statuses, DeviceApps deviceApps,
            AppQuotas quotas, PushAppCheck pushApps, MessageAttachments attachments, long maxBroadcastDevices) {
        this.pushApps = pushApps;
        this.attachments = attachments;
        this.requests = requests;
        this.intake = intake;
        this.statuses = statuses;
        this.deviceApps = deviceApps;
        this.quotas = quotas;
        this.maxBroadcastDevices = maxBroadcastDevices;
    }

    /**
     * @param idempotencyKey the key the message is remembered under (a single send's {@code Idempotency-Key}, or a
     *                       batch message's), or null
     * @param trace          the request's trace context (the Kafka send is its child)
     */
    public CompletionStage<Accepted> accept(SendMessageRequest request, IdempotencyKeys.Key idempotencyKey, ApiPrincipal caller,
            String traceparent, Context trace) {
        OutgoingMessage parsed = requests.toMessage(request, traceparent, System.currentTimeMillis());
        String fingerprint = null;
        if (idempotencyKey != null) {
            if (!IdempotencyKeys.isValid(idempotencyKey.value())) {
                throw ProblemException.validation("the Idempotency-Key is not valid",
                        List.of(new Problem.FieldError("Idempotency-Key", "must be 1 to 255 visible ASCII characters")));
            }
            fingerprint = IdempotencyKeys.fingerprint(request);
            parsed = parsed.as(IdempotencyKeys.messageId(caller.keyId(), idempotencyKey), parsed.acceptedAt(), parsed.expiresAt());
        }
        StatusStore.Sender sender = new StatusStore.Sender(caller.keyId(), caller.apps(), fingerprint);
        java.util.Optional<String> earlierId = idempotencyKey == null ? java.util.Optional.empty()
                : IdempotencyKeys.legacyMessageId(caller.keyId(), idempotencyKey);
        if (earlierId.isEmpty()) {
            return accept(request, parsed, sender, caller, trace);
        }
        // A single send keyed K#i: earlier versions derived its id from the key as it came. The same request accepted
        // by one of them and retried here is that message's retry (answered as replays are), not a message of its own
        // (only for the rolling upgrade: see IdempotencyKeys.legacyMessageId).
        OutgoingMessage derivedNow = parsed;
        return statuses.acceptedEarlierAs(derivedNow.messageId(), earlierId.get(), sender)
                .thenCompose(earlier -> accept(request, earlier ? derivedNow.as(earlierId.get(), derivedNow.acceptedAt(),
                        derivedNow.expiresAt()) : derivedNow, sender, caller, trace));
    }

    private CompletionStage<Accepted> accept(SendMessageRequest request, OutgoingMessage message, StatusStore.Sender sender,
            ApiPrincipal caller, Context trace) {
        Target target = message.target();
        List<String> named = target.device() != null ? List.of(target.device())
                : target.devices() != null ? target.devices().stream().distinct().toList() : List.of();
        boolean idempotent = sender.fingerprint() != null;
        String holder = idempotent ? UUID.randomUUID().toString() : ""; // this request, while it holds the key ('' without one)
        return reach(target, named, caller)
                .thenCompose(reach -> pushApps.check(message.push(), message.push() == null ? List.of()
                        : named(target, named, reach.ofNamed())).thenApply(refused -> {
                    if (!refused.isEmpty()) {
                        throw ProblemException.validation("no APNs app can send this push", refused);
                    }
                    return reach.charged();
                }))
                .thenCompose(apps -> statuses.accept(message, named, sender, holder).handle((acceptance, error) -> error != null
                        // Redis may still run the record script after the timeout: the request took the key in hand then.
                        ? this.<Accepted>releasedAfter(error, message.messageId(), holder)
                        : switch (acceptance.recorded()) {
                            case CONFLICT -> throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                                    "this Idempotency-Key was used with another request");
                            case SENT -> CompletableFuture.completedFuture(new Accepted(message.messageId(), true));
                            // Sending it too could race the request in hand (e.g. its quota refusal taking the record back).
                            case BUSY -> throw ProblemException.retryAfter(ProblemType.CONFLICT,
                                    "a request with this Idempotency-Key is still being handled; try again shortly", 1);
                            case REPLAY -> inHand(message.messageId(), holder, () -> send(message.as(message.messageId(),
                                    acceptance.acceptedAt(), acceptance.expiresAt()), request, caller, trace, true, true));
                            case NEW -> inHand(message.messageId(), holder,
                                    () -> charged(apps, message, request, caller, trace, idempotent));
                        }).thenCompose(stage -> stage));
    }

    /**
     * A step this request runs with the message in hand: when it fails (a refusal, Redis or Kafka away), a retry with
     * the idempotency key may take the message in hand at once instead of waiting for {@code StatusStore.IN_HAND}.
     */
    private CompletionStage<Accepted> inHand(String messageId, String holder, Supplier<CompletionStage<Accepted>> step) {
        CompletionStage<Accepted> stage;
        try {
            stage = step.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.handle((accepted, error) -> error == null ? CompletableFuture.completedFuture(accepted)
                : this.<Accepted>releasedAfter(error, messageId, holder)).thenCompose(s -> s);
    }

    /**
     * Fails with {@code error} once this request ({@code holder}, '' without an idempotency key) no longer holds the
     * message's idempotency key: a request that never held it (another did) lets go of nothing.
     */
    private <T> CompletionStage<T> releasedAfter(Throwable error, String messageId, String holder) {
        CompletionStage<Void> released = !holder.isEmpty() ? statuses.release(messageId, holder).exceptionally(e -> null)
                : CompletableFuture.completedFuture(null);
        return released.thenApply(v -> {
            throw rethrown(error);
        });
    }

    /**
     * Charges the apps, then sends. A message refused after its charge is given the charge back: an attachment refused
     * (nothing sent: its record goes too, so the id is not left "accepted" for ever), or a send Kafka did not take
     * without an idempotency key (its record stays: the message may have reached Kafka all the same, and routing reads
     * the record). With a key the charge stays: the retry with it sends the message as a replay, which is not charged.
     */
    private CompletionStage<Accepted> charged(List<String> apps, OutgoingMessage message, SendMessageRequest request,
            ApiPrincipal caller, Context trace,
            boolean idempotent) {
        long chargedAt = quotas.now();
        return quotas.charge(apps, chargedAt).thenCompose(refusal -> {
            if (refusal.isPresent()) {
                return statuses.forget(message.messageId()).thenApply(v -> {
                    throw ProblemException.retryAfter(ProblemType.QUOTA_EXCEEDED, "the app " + refusal.get().appId()
                            + " has used its messages per " + refusal.get().quota(), refusal.get().retryAfterSeconds());
                });
            }
            CompletionStage<OutgoingMessage> ready = CompletableFuture.<Void>completedFuture(null)
                    .thenCompose(v -> attached(message, request, caller)); // a refusal thrown at once fails the stage too
            return ready.handle((attachedMessage, attachError) -> attachError == null
                    ? send(attachedMessage, trace, false, idempotent)
                            .handle((accepted, sendError) -> sendError == null ? CompletableFuture.completedFuture(accepted)
                                    : (idempotent ? CompletableFuture.<Void>completedFuture(null) : quotas.refund(apps, chargedAt))
                                            .<Accepted>thenApply(v -> {
                                                throw rethrown(sendError);
                                            }))
                            .thenCompose(stage -> stage)
                    : quotas.refund(apps, chargedAt).thenCompose(v -> statuses.forget(message.messageId())).<Accepted>thenApply(v -> {
                        throw rethrown(attachError);
                    })).thenCompose(stage -> stage);
        });
    }

    /** A stage's failure as thrown again: its cause when wrapped in a CompletionException. */
    private static RuntimeException rethrown(Throwable error) {
        Throwable cause = Failures.unwrap(error);
        return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    }

    private CompletionStage<Accepted> send(OutgoingMessage message, SendMessageRequest request, ApiPrincipal caller, Context trace,
            boolean replayed,
            boolean idempotent) {
        return attached(message, request, caller).thenCompose(ready -> send(ready, trace, replayed, idempotent));
    }

    /** An attachment replaces the payload by its signed descriptor document; without one the message is unchanged. */
    private CompletionStage<OutgoingMessage> attached(OutgoingMessage message, SendMessageRequest request, ApiPrincipal caller) {
        return request.attachment() == null ? CompletableFuture.completedFuture(message) : attachments.attach(message, request, caller.apps());
    }

    /**
     * Kafka, then (with an idempotency key) the record learns the message was sent, so that a retry is answered
     * without sending it again. Without a key no retry can find the record: nothing reads that mark, and the 202
     * does not wait for a write nobody reads.
     */
    private CompletionStage<Accepted> send(OutgoingMessage message, Context trace, boolean replayed, boolean idempotent) {
        CompletionStage<Void> sent = intake.accept(message, CompletableFuture.completedFuture(null), trace);
        return (idempotent ? sent.thenCompose(v -> statuses.markSent(message.messageId())) : sent)
                .thenApply(v -> new Accepted(message.messageId(), replayed));
    }

    /**
     * What the key reaches: the app of each device named, in order (empty when none is named), and the apps whose
     * quota the message counts against.
     */
    private record Reach(List<String> ofNamed, List<String> charged) {
        static Reach charging(List<String> charged) {
            return new Reach(List.of(), charged);
        }
    }

    /**
     * What the message reaches, after checking the key may reach what it names: the app of each device named, and
     * the apps whose quota the message counts against (the apps of the devices named, the app addressed, or, for a
     * user or a topic, the key's own apps when it is limited).
     */
    private CompletionStage<Reach> reach(Target target, List<String> named, ApiPrincipal caller) {
        Audiences audiences = statuses.audiences();
        if (!named.isEmpty()) {
            return deviceApps.appsOf(named).thenApply(apps -> {
                List<String> unknown = new ArrayList<>();
                List<String> charged = new ArrayList<>();
                for (int i = 0; i < named.size(); i++) {
                    String app = apps.get(i);
                    if (app == null || !caller.mayReach(app)) {
                        unknown.add(named.get(i));
                    } else if (!charged.contains(app)) {
                        charged.add(app);
                    }
                }
                if (!unknown.isEmpty()) {
                    throw ProblemException.notFound("unknown device(s): " + String.join(", ", unknown));
                }
                return new Reach(apps, charged);
            });
        }
        if (target.app() != null) {
            if (!caller.mayReach(target.app())) {
                throw ProblemException.notFound("no such app");
            }
            return audiences.appSize(target.app()).thenApply(size -> Reach.charging(bounded("to.app", size, List.of(target.app()))));
        }
        List<String> ownApps = caller.apps().stream().sorted().toList();
        if (target.topic() != null) {
            return audiences.topicUpperBound(target.topic()).thenApply(size -> Reach.charging(bounded("to.topic", size, ownApps)));
        }
        return CompletableFuture.completedFuture(Reach.charging(ownApps));
    }

    /** Each device named, with its app and the request field that names it (a repeated device: its first place). */
    private static List<PushAppCheck.Named> named(Target target, List<String> named, List<String> apps) {
        if (target.device() != null) {
            return List.of(new PushAppCheck.Named(apps.get(0), "to.device"));
        }
        Map<String, Integer> firstPlace = new HashMap<>();
        for (int i = target.devices().size() - 1; i >= 0; i--) {
            firstPlace.put(target.devices().get(i), i);
        }
        List<PushAppCheck.Named> devices = new ArrayList<>(named.size());
        for (int i = 0; i < named.size(); i++) {
            devices.add(new PushAppCheck.Named(apps.get(i), "to.devices[" + firstPlace.get(named.get(i)) + "]"));
        }
        return devices;
    }

    private List<String> bounded(String field, long devices, List<String> apps) {
        if (devices > maxBroadcastDevices) {
            throw ProblemException.validation("the message would reach too many devices", List.of(new Problem.FieldError(field,
                    "reaches " + devices + " devices; one message may reach at most " + maxBroadcastDevices)));
        }
        return apps;
    }
}
