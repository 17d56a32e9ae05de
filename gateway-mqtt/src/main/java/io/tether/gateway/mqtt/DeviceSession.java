package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.tether.contract.PresenceEvent;
import io.tether.gateway.delivery.Acknowledgements;
import io.tether.gateway.delivery.EventPublisher;
import io.tether.gateway.metrics.ConnectionMeter;
import io.tether.gateway.store.GatewayStore;
import io.tether.inbox.HandOver;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.MqttPubAckMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One accepted device connection. It routes the connection's packets to its parts: {@link Upstream} for what the
 * device publishes, a {@link SubscriptionSet}, and the {@link DeliveryWindow} for what the inbox hands over; and it
 * owns the connection's end (close, takeover, drain, revocation). Everything runs on the connection's Vert.x context
 * (event loop), so nothing needs a lock; hand-overs arriving from Redis hop onto it first.
 */
public final class DeviceSession implements Upstream.Session {
    private static final Logger LOG = Logger.getLogger(DeviceSession.class);
    /** How long a draining connection waits for Kafka to confirm its DISCONNECTED before closing anyway. */
    private static final long LEAVE_PRESENCE_TIMEOUT_SECONDS = 5;

    private final MqttEndpoint endpoint;
    private final String deviceId;
    private final long epoch;
    private final Vertx vertx;
    private final Context context;
    private final EventPublisher events;
    private final Connections connections;
    private final Acknowledgements acknowledgements;
    private final MqttTracing tracing;
    private final ConnectionControl control;
    private final SubscriptionSet subscriptions;
    private final Downstream downstream;
    private final Upstream upstream;
    private final Grants grants;
    private final Future<Void> socketClosed;
    private final SessionLimits limits;
    private final GatewayStore store;
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private ConnectionMeter meter = ConnectionMeter.NONE;
    private boolean receivingReported;
    private boolean background;
    private boolean closed;
    /** The gateway is draining this connection: DISCONNECTED is reported (or being reported), nothing more is sent. */
    private boolean leaving;

    /** @param socketClosed completes on {@code context} when the connection's socket closes (see {@link EndpointSocket}) */
    public DeviceSession(MqttEndpoint endpoint, Future<Void> socketClosed, long epoch, Vertx vertx, Context context, EventPublisher events,
            Connections connections, GatewayStore store, Grants grants, SessionSettings settings, MqttTracing tracing,
            Acknowledgements acknowledgements) {
        this.endpoint = endpoint;
        this.socketClosed = socketClosed;
        this.deviceId = endpoint.clientIdentifier();
        this.epoch = epoch;
        this.vertx = vertx;
        this.context = context;
        this.events = events;
        this.connections = connections;
        this.acknowledgements = acknowledgements;
        this.tracing = tracing;
        this.control = new ConnectionControl(endpoint);
        this.subscriptions = new SubscriptionSet(deviceId);
        int maxInflight = Math.min(settings.maxInflight(), MqttProps.receiveMaximum(endpoint.connectProperties()));
        this.downstream = new Downstream(deviceId, vertx, control, subscriptions, tracing, acknowledgements, events, this::presence,
                () -> meter, () -> !closed && !leaving, maxInflight, settings.ackTimeout().toMillis());
        this.upstream = new Upstream(deviceId, grants, settings, events, store, tracing, control, context, this);
        this.grants = grants;
        this.limits = settings.limits();
        this.store = store;
    }

    public String deviceId() {
        return deviceId;
    }

    public long epoch() {
        return epoch;
    }

    /** The CONNECT was accepted: from now on the connection counts in the metrics (until it closes, if it has not already). */
    void metered(ConnectionMeter connection) {
        if (closed) {
            connection.closed();
            return;
        }
        meter = connection;
    }

    /** Installs the packet handlers; called before CONNACK so that nothing the client sends is missed. */
    void bind() {
        endpoint.publishAutoAck(false);
        endpoint.subscriptionAutoAck(false);
        endpoint.publishHandler(message -> upstream.onPublish(new InboundPublish(message, control)));
        endpoint.publishReleaseHandler(endpoint::publishComplete);
        endpoint.subscribeHandler(this::onSubscribe);
        endpoint.unsubscribeHandler(this::onUnsubscribe);
        endpoint.publishAcknowledgeMessageHandler(this::onPubAck);
        endpoint.disconnectMessageHandler(message -> control.closeReason("clean"));
        endpoint.exceptionHandler(error -> LOG.debugf("connection of %s: %s", deviceId, error.getMessage()));
        // Either tells of the end, whichever comes first: Vert.x can replace the endpoint its socket reports to.
        endpoint.closeHandler(v -> onClose());
        socketClosed.onComplete(v -> onClose());
    }

    // ---- subscriptions --------------------------------------------------------------------------------------

    private void onSubscribe(MqttSubscribeMessage message) {
        List<MqttSubAckReasonCode> codes = new ArrayList<>();
        for (var subscription : message.topicSubscriptions()) {
            String filter = subscription.topicName();
            var refused = limits.subscribeRefusal(filter, subscriptions);
            if (refused.isPresent()) {
                codes.add(refused.get());
            } else if (TopicPolicy.maySubscribe(deviceId, filter, grants)) {
                MqttQoS granted = subscription.qualityOfService() == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
                subscriptions.add(filter, granted);
                codes.add(MqttSubAckReasonCode.qosGranted(granted));
                indexTopic(filter, true);
            } else {
                codes.add(TopicFilter.isValid(filter) ? MqttSubAckReasonCode.NOT_AUTHORIZED : MqttSubAckReasonCode.TOPIC_FILTER_INVALID);
            }
        }
        if (!control.isMqtt5()) {
            // MQTT 3.1.1 knows one failure code, 0x80, which MQTT 5 calls Unspecified error.
            codes.replaceAll(code -> (code.value() & 0xff) >= 0x80 ? MqttSubAckReasonCode.UNSPECIFIED_ERROR : code);
        }
        endpoint.subscribeAcknowledge(message.messageId(), codes, MqttProperties.NO_PROPERTIES);
        downstream.subscriptionsChanged();
        if (!receivingReported && subscriptions.receives()) {
            // Subscribed inside its own namespace: fanout may start handing messages over.
            receivingReported = true;
            events.presenceEventually(presence(PresenceEvent.Kind.RECEIVING, null));
        }
    }

    private void onUnsubscribe(MqttUnsubscribeMessage message) {
        message.topics().forEach(filter -> indexTopic(filter, false));
        if (!control.isMqtt5()) {
            message.topics().forEach(subscriptions::remove);
            endpoint.unsubscribeAcknowledge(message.messageId());
            return;
        }
        // MQTT 5's UNSUBACK carries one reason code per filter (a client refuses one without).
        List<MqttUnsubAckReasonCode> codes = new ArrayList<>();
        for (String filter : message.topics()) {
            codes.add(subscriptions.contains(filter) ? MqttUnsubAckReasonCode.SUCCESS : MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED);
            subscriptions.remove(filter);
        }
        endpoint.unsubscribeAcknowledge(message.messageId(), codes, MqttProperties.NO_PROPERTIES);
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

    // ---- downstream -----------------------------------------------------------------------------------------

    /** A hand-over from the inbox for this connection. Called from any thread. */
    public void deliver(HandOver handOver) {
        context.runOnContext(v -> {
            if (closed || leaving) {
                return; // whatever is not acknowledged stays in the inbox; the DISCONNECTED rewinds it
            }
            downstream.handOver(handOver);
        });
    }

    private void onPubAck(MqttPubAckMessage ack) {
        downstream.onPubAck(ack.messageId(), ack.code() == null ? 0 : ack.code().value() & 0xff);
    }

    // ---- Upstream.Session -----------------------------------------------------------------------------------

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public PresenceEvent presence(PresenceEvent.Kind kind, String reason) {
        return new PresenceEvent(deviceId, events.gatewayId(), epoch, kind, reason, System.currentTimeMillis());
    }

    @Override
    public void lifecycle(PresenceEvent.Kind kind) {
        background = kind == PresenceEvent.Kind.BACKGROUND;
        meter.presence(kind);
    }

    @Override
    public void countUpstream() {
        meter.upstream();
    }

    // ---- recovery -------------------------------------------------------------------------------------------

    /**
     * The gateway found its heartbeat lapsed: Redis restarted or lost data, or fanout took this gateway for dead. It
     * states this connection again (the epoch fence keeps a newer connection elsewhere), and whether it receives.
     */
    public void reassert() {
        context.runOnContext(v -> {
            if (closed || leaving) {
                return;
            }
            connections.announce(this);
            events.presenceEventually(presence(PresenceEvent.Kind.REASSERTED, background ? "background" : "foreground"));
            if (receivingReported) {
                events.presenceEventually(presence(PresenceEvent.Kind.RECEIVING, null));
            }
        });
    }

    /** The delivery channel was lost for a while: ask the inbox for what is unacknowledged again. */
    public CompletionStage<Integer> resync() {
        return receivingReported && !closed ? acknowledgements.resync(deviceId, epoch) : CompletableFuture.completedFuture(0);
    }

    // ---- end ------------------------------------------------------------------------------------------------

    /** The device's credentials were rotated or revoked in the registry: it must authenticate again. */
    public void revoke() {
        context.runOnContext(v -> control.disconnect(MqttDisconnectReasonCode.NOT_AUTHORIZED, "revoked"));
    }

    /** Another connection with the same client id arrived (here or on another gateway): MQTT says the old one goes. */
    public void takeOver() {
        context.runOnContext(v -> control.disconnect(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, "takeover"));
    }

    /**
     * The gateway is shutting down (graceful drain): report DISCONNECTED with reason "shutdown" and wait until
     * Kafka has it, so fanout routes new messages to push and inbox instead of into this socket; then send
     * DISCONNECT with {@code code} and {@code properties} (MQTT 5; MQTT 3.1.1 is just closed) and close. Hand-overs
     * arriving meanwhile are dropped: fanout re-routes them on the DISCONNECTED. Called from any thread; the stage
     * completes when the connection has closed.
     */
    public CompletionStage<Void> leave(MqttDisconnectReasonCode code, MqttProperties properties) {
        context.runOnContext(v -> {
            if (closed || leaving) {
                return;
            }
            leaving = true;
            control.closeReason("shutdown");
            events.presence(presence(PresenceEvent.Kind.DISCONNECTED, "shutdown")).toCompletableFuture()
                    .orTimeout(LEAVE_PRESENCE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .whenComplete((ok, error) -> context.runOnContext(w -> {
                        if (closed) {
                            return; // the device went first
                        }
                        if (error != null) {
                            LOG.warnf("DISCONNECTED of %s not confirmed by Kafka before closing: %s", deviceId, error.getMessage());
                        }
                        control.disconnect(code, properties, "shutdown");
                    }));
        });
        return closedFuture;
    }

    /** The connection ended, as its endpoint or its socket tells; once, whichever comes first. */
    private void onClose() {
        if (closed) {
            return;
        }
        closed = true;
        meter.closed();
        downstream.close(control.closeReason());
        connections.remove(this);
        if (!"clean".equals(control.closeReason())) {
            upstream.publishWill(endpoint.will(), will -> events.upstream(will));
        }
        if (!leaving) {
            // A drained connection reported DISCONNECTED before it closed (see leave).
            events.presenceEventually(presence(PresenceEvent.Kind.DISCONNECTED, control.closeReason()));
        }
        closedFuture.complete(null);
    }
}
