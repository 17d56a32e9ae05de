package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.tether.gateway.store.GatewayStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * SUBSCRIBE and UNSUBSCRIBE of one connection. A filter is granted when the topic policy allows it, at the QoS asked
 * for but at most 1 (Tether's Maximum QoS), within the {@link SessionLimits} (topic length and depth, filters held). When the session is stored (it outlives the
 * connection), the change is written to Redis first and acknowledged after, so that a session resumed on any gateway
 * holds what the client was told; a failed write is answered with Unspecified error (0x80). Requests are handled one
 * after the other, in the client's order: an UNSUBSCRIBE right behind a SUBSCRIBE whose write is out would otherwise
 * find nothing to remove, and the SUBSCRIBE's answer add the filter after it. Event-loop confined.
 */
final class SubscriptionRequests {
    private static final Logger LOG = Logger.getLogger(SubscriptionRequests.class);

    private final String deviceId;
    private final long epoch;
    private final Grants grants;
    private final ConnectionControl control;
    private final SubscriptionSet subscriptions;
    private final GatewayStore store;
    private final boolean stored;
    private final SessionLimits limits;
    private final Context context;
    private final Runnable changed;
    /** Requests read but not yet started, behind the one being handled. */
    private final ArrayDeque<Supplier<Future<Void>>> waiting = new ArrayDeque<>();
    /** A request is being handled (its Redis write is out). */
    private boolean busy;

    /**
     * @param stored  the session is in Redis (see {@link SessionTerms#stored()}): changes are written there first
     * @param changed runs on the event loop after subscriptions were added
     */
    SubscriptionRequests(String deviceId, long epoch, Grants grants, ConnectionControl control, SubscriptionSet subscriptions,
            GatewayStore store, boolean stored, SessionLimits limits, Context context, Runnable changed) {
        this.deviceId = deviceId;
        this.epoch = epoch;
        this.grants = grants;
        this.control = control;
        this.subscriptions = subscriptions;
        this.store = store;
        this.stored = stored;
        this.limits = limits;
        this.context = context;
        this.changed = changed;
    }

    /**
     * Takes over the subscriptions of a resumed session that the topic policy and the limits still allow; returns the
     * ones they do not.
     */
    List<String> restore(Map<String, Integer> saved) {
        List<String> dropped = new ArrayList<>();
        saved.forEach((filter, qos) -> {
            if (TopicPolicy.maySubscribe(deviceId, filter, grants) && limits.restorable(filter, subscriptions.size())) {
                subscriptions.add(filter, qos == 0 ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE);
            } else {
                dropped.add(filter);
            }
        });
        return dropped;
    }

    /** Takes back what {@link #restore} added: the session was not resumed after all. */
    void forget(Collection<String> filters) {
        filters.forEach(subscriptions::remove);
    }

    /**
     * A protocol error ({@link ProtocolErrors}) ends the connection at once, ahead of the requests still waiting: they
     * are then never answered, as after any other end of the connection.
     */
    void onSubscribe(MqttSubscribeMessage message) {
        List<String> filters = message.topicSubscriptions().stream().map(MqttTopicSubscription::topicName).toList();
        var violation = ProtocolErrors.malformedTopics(filters);
        if (violation.isEmpty() && control.isMqtt5()) {
            violation = ProtocolErrors.inSubscribe(message.properties(), filters);
        }
        if (violation.isPresent()) {
            control.disconnect(violation.get().code(), violation.get().label(), violation.get().text());
            return;
        }
        inOrder(() -> subscribe(message));
    }

    void onUnsubscribe(MqttUnsubscribeMessage message) {
        var malformed = ProtocolErrors.malformedTopics(message.topics());
        if (malformed.isPresent()) {
            control.disconnect(malformed.get().code(), malformed.get().label(), malformed.get().text());
            return;
        }
        inOrder(() -> unsubscribe(message));
    }

    /** Handles a request once the one before it has been answered, whether that went well or not. */
    private void inOrder(Supplier<Future<Void>> request) {
        waiting.add(request);
        if (!busy) {
            handleWaiting();
        }
    }

    /**
     * Handles the waiting requests one after the other: in this loop while they are answered at once (no recursion,
     * however many one read brought), from the answer's callback when one waits for Redis. A request not yet started
     * when the connection has closed is not started: it was never answered, and a write now would come after the
     * session's end (and keep it in Redis past its expiry).
     */
    private void handleWaiting() {
        busy = true;
        while (!waiting.isEmpty()) {
            Supplier<Future<Void>> next = waiting.poll();
            if (!control.answerable()) {
                waiting.clear();
                break;
            }
            Future<Void> answered;
            try {
                answered = next.get();
            } catch (RuntimeException e) {
                answered = Future.failedFuture(e);
            }
            if (!answered.isComplete()) {
                answered.onComplete(result -> {
                    logFailure(result.cause());
                    handleWaiting();
                });
                return;
            }
            logFailure(answered.cause());
        }
        busy = false;
    }

    private void logFailure(Throwable error) {
        if (error != null) {
            LOG.warnf("subscription request of %s failed: %s", deviceId, error.toString());
        }
    }

    private Future<Void> subscribe(MqttSubscribeMessage message) {
        List<MqttSubAckReasonCode> codes = new ArrayList<>();
        Map<String, Integer> granted = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        for (var subscription : message.topicSubscriptions()) {
            String filter = subscription.topicName();
            boolean held = subscriptions.contains(filter) || granted.containsKey(filter);
            int count = subscriptions.size() + (int) granted.keySet().stream().filter(f -> !subscriptions.contains(f)).count();
            var limited = limits.subscribeRefusal(filter, held, count);
            if (limited.isPresent()) {
                codes.add(limited.get());
                refused.add(limited.get() == MqttSubAckReasonCode.QUOTA_EXCEEDED
                        ? filter + " is one more than the " + limits.maxSubscriptions() + " filters a session may hold"
                        : filter + " is too long or too deep");
            } else if (!TopicPolicy.maySubscribe(deviceId, filter, grants)) {
                codes.add(TopicFilter.isValid(filter) ? MqttSubAckReasonCode.NOT_AUTHORIZED : MqttSubAckReasonCode.TOPIC_FILTER_INVALID);
                refused.add(filter + " is not allowed");
            } else {
                MqttQoS qos = subscription.qualityOfService() == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
                granted.put(filter, qos.value());
                codes.add(MqttSubAckReasonCode.qosGranted(qos));
            }
        }
        return whenWritten(granted.isEmpty() ? null : () -> store.subscribe(deviceId, epoch, granted), written -> {
            if (written) {
                granted.forEach((filter, qos) -> {
                    subscriptions.add(filter, MqttQoS.valueOf(qos));
                    indexTopic(filter, true);
                });
            } else {
                codes.replaceAll(code -> (code.value() & 0xff) < 0x80 ? MqttSubAckReasonCode.UNSPECIFIED_ERROR : code);
                refused.add("the session could not be stored; subscribe again");
            }
            if (!control.answerable()) {
                return; // what was stored is indexed above; the connection is gone, nothing to answer or hand over
            }
            if (!control.isMqtt5()) {
                // MQTT 3.1.1 knows one failure code, 0x80, which MQTT 5 calls Unspecified error.
                codes.replaceAll(code -> (code.value() & 0xff) >= 0x80 ? MqttSubAckReasonCode.UNSPECIFIED_ERROR : code);
            }
            control.endpoint().subscribeAcknowledge(message.messageId(), codes,
                    refused.isEmpty() ? MqttProperties.NO_PROPERTIES : control.ackReason(String.join("; ", refused)));
            if (written && !granted.isEmpty()) {
                changed.run();
            }
        });
    }

    private Future<Void> unsubscribe(MqttUnsubscribeMessage message) {
        List<String> existing = message.topics().stream().filter(subscriptions::contains).distinct().toList();
        return whenWritten(existing.isEmpty() ? null : () -> store.unsubscribe(deviceId, epoch, existing), written -> {
            if (written) {
                existing.forEach(subscriptions::remove);
                message.topics().forEach(filter -> indexTopic(filter, false));
            } else {
                LOG.warnf("unsubscribe of %s not stored; its session keeps %s", deviceId, existing);
            }
            if (!control.answerable()) {
                return;
            }
            if (!control.isMqtt5()) {
                control.endpoint().unsubscribeAcknowledge(message.messageId());
                return;
            }
            List<MqttUnsubAckReasonCode> codes = message.topics().stream()
                    .map(filter -> !written ? MqttUnsubAckReasonCode.UNSPECIFIED_ERROR
                            : existing.contains(filter) ? MqttUnsubAckReasonCode.SUCCESS : MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED)
                    .toList();
            control.endpoint().unsubscribeAcknowledge(message.messageId(), codes,
                    written ? MqttProperties.NO_PROPERTIES : control.ackReason("the session could not be stored; unsubscribe again"));
        });
    }

    /**
     * A granted filter outside the device's namespace goes into the topic index that topic messages are expanded from
     * (kept across connections until UNSUBSCRIBE). If Redis is away the device is missing there until it subscribes
     * again, which it does on its next connection.
     */
    private void indexTopic(String filter, boolean subscribed) {
        if (TopicPolicy.maySubscribe(deviceId, filter) || !TopicFilter.isValid(filter)) {
            return;
        }
        (subscribed ? store.subscribedToTopic(deviceId, filter) : store.unsubscribedFromTopic(deviceId, filter))
                .exceptionally(error -> {
                    LOG.warnf("topic index of %s not updated for %s: %s", deviceId, filter, error.toString());
                    return null;
                });
    }

    /**
     * Runs {@code then} with whether the change is stored: at once when the session is not stored (or nothing
     * changes), else after Redis answered, back on the event loop. The future completes once {@code then} has run.
     */
    private Future<Void> whenWritten(Supplier<CompletionStage<Boolean>> write, Consumer<Boolean> then) {
        if (!stored || write == null) {
            then.accept(true);
            return Future.succeededFuture();
        }
        CompletionStage<Boolean> stage;
        try {
            stage = write.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        Promise<Void> answered = Promise.promise();
        stage.whenComplete((applied, error) -> context.runOnContext(v -> {
            if (error != null) {
                LOG.warnf("session of %s not stored: %s", deviceId, error.getMessage());
            }
            try {
                // Not applied: a newer connection holds the session; this one is being taken over, nothing to keep.
                then.accept(error == null && Boolean.TRUE.equals(applied));
                answered.complete();
            } catch (RuntimeException e) {
                answered.fail(e); // the requests behind this one go on
            }
        }));
        return answered.future();
    }
}
