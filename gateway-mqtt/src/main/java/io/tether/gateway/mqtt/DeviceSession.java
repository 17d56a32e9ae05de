package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.tether.contract.PresenceEvent;
import io.tether.gateway.drain.Departing;
import io.tether.gateway.metrics.ConnectionMeter;
import io.tether.inbox.HandOver;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.MqttDisconnectMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One accepted device connection. It routes the connection's packets to its parts: {@link Upstream} for what the
 * device publishes, {@link SubscriptionRequests} for what it subscribes to, and {@link Downstream} for what the inbox
 * hands over; and it owns the connection's end (close, takeover, drain, revocation, keepalive) and the end of its
 * session (kept for its expiry, or discarded). Everything runs on the connection's Vert.x context (event loop), so
 * nothing needs a lock; hand-overs arriving from Redis hop onto it first.
 */
public final class DeviceSession implements Upstream.Session, Departing {
    private static final Logger LOG = Logger.getLogger(DeviceSession.class);
    /** How long a draining connection waits for Kafka to confirm its DISCONNECTED before closing anyway. */
    private static final long LEAVE_PRESENCE_TIMEOUT_SECONDS = 5;

    private final MqttEndpoint endpoint;
    private final String deviceId;
    private final long epoch;
    private final Context context;
    private final SessionServices services;
    private final ConnectionControl control;
    private final SubscriptionSet subscriptions;
    private final SubscriptionRequests subscriptionRequests;
    private final Downstream downstream;
    private final Upstream upstream;
    private final KeepAliveWatch keepAlive;
    private final Future<Void> socketClosed;
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private SessionTerms terms;
    private ConnectionMeter meter = ConnectionMeter.NONE;
    private boolean receivingReported;
    private boolean background;
    private boolean closed;
    /** CONNACK accepted the connection: only then does its will count (a refused CONNECT's is never published). */
    private boolean connackSent;
    /** The gateway is draining this connection: DISCONNECTED is reported (or being reported), nothing more is sent. */
    private boolean leaving;
    /** Kafka has the DISCONNECTED the drain reported: only then does the device leave this gateway's device set. */
    private boolean leftReported;
    /** The client's DISCONNECT discarded its will: any on MQTT 3.1.1, on MQTT 5 only Normal disconnection (0x00). */
    private boolean willDiscarded;

    /**
     * @param socketClosed completes on {@code context} when the connection's socket closes (see {@link EndpointSocket})
     * @param reading      reading from the connection's socket, stopped while an MQTT 3.1.1 client has all it may on its
     *                     way to Kafka
     * @param terms        what the CONNECT asked of its session and keepalive, as granted
     */
    public DeviceSession(MqttEndpoint endpoint, Future<Void> socketClosed, SocketReading reading, long epoch, Context context,
            SessionServices services, Grants grants, SessionTerms terms) {
        this.endpoint = endpoint;
        this.socketClosed = socketClosed;
        this.deviceId = endpoint.clientIdentifier();
        this.epoch = epoch;
        this.context = context;
        this.services = services;
        this.terms = terms;
        SessionSettings settings = services.settings();
        this.control = new ConnectionControl(endpoint);
        this.subscriptions = new SubscriptionSet(deviceId);
        this.subscriptionRequests = new SubscriptionRequests(deviceId, epoch, grants, control, subscriptions, services.store(),
                terms.stored(), settings.limits(), context, this::subscriptionsChanged);
        int maxInflight = Math.min(settings.maxInflight(), MqttProps.receiveMaximum(endpoint.connectProperties()));
        this.downstream = new Downstream(deviceId, services.vertx(), control, subscriptions, services.tracing(), services.acknowledgements(),
                services.events(), this::presence, () -> meter, () -> !closed && !leaving, maxInflight, settings.ackTimeout().toMillis(),
                MqttProps.maximumPacketSize(endpoint.connectProperties()));
        this.upstream = new Upstream(deviceId, grants, settings, services.events(), services.store(), services.tracing(), control, reading,
                context, this);
        this.keepAlive = KeepAliveWatch.forConnection(services.vertx(), terms, control);
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

    /** Takes over the subscriptions of a resumed session; returns the filters the topic policy no longer allows. */
    List<String> restore(Map<String, Integer> saved) {
        return subscriptionRequests.restore(saved);
    }

    /** Installs the packet handlers; called before CONNACK so that nothing the client sends is missed. */
    void bind() {
        endpoint.publishAutoAck(false);
        endpoint.subscriptionAutoAck(false);
        endpoint.publishHandler(message -> {
            seen();
            upstream.onPublish(new InboundPublish(message, control));
        });
        endpoint.subscribeHandler(message -> {
            seen();
            subscriptionRequests.onSubscribe(message);
        });
        endpoint.unsubscribeHandler(message -> {
            seen();
            subscriptionRequests.onUnsubscribe(message);
        });
        endpoint.publishAcknowledgeMessageHandler(ack -> {
            seen();
            downstream.onPubAck(ack.messageId(), ack.code() == null ? 0 : ack.code().value() & 0xff);
        });
        endpoint.pingHandler(v -> seen());
        endpoint.disconnectMessageHandler(this::onDisconnect);
        endpoint.exceptionHandler(error -> {
            LOG.debugf("connection of %s: %s", deviceId, error.getMessage());
            if (!closed) {
                control.refuseUndecodable(error, services.settings().maxPacketSize());
            }
        });
        // Either tells of the end, whichever comes first: Vert.x can replace the endpoint its socket reports to.
        endpoint.closeHandler(v -> onClose());
        socketClosed.onComplete(v -> onClose());
    }

    /**
     * CONNACK accepted the connection (also when a takeover ends it right after): from now on its will counts. An earlier
     * connection's will is not settled here but by the claim, which alone knows whether this one came first after it.
     */
    void connackSent() {
        connackSent = true;
    }

    /** The claim found the stored session gone or replaced after the CONNECT read it: what was restored from it goes. */
    void forgetRestored(Collection<String> filters) {
        subscriptionRequests.forget(filters);
    }

    /** Whether a message on {@code topic} matches the connection's subscriptions (tests). */
    boolean subscribedTo(String topic) {
        return subscriptions.matches(topic);
    }

    /** CONNACK went out: the keepalive the gateway set is watched, and a resumed session receives at once. */
    void accepted() {
        if (closed) {
            return;
        }
        keepAlive.start();
        subscriptionsChanged();
    }

    private void seen() {
        keepAlive.seen();
    }

    private void subscriptionsChanged() {
        downstream.subscriptionsChanged();
        if (!receivingReported && subscriptions.receives()) {
            // Subscribed inside its own namespace (now or in the session it resumed): fanout may hand messages over.
            receivingReported = true;
            services.events().presenceEventually(presence(PresenceEvent.Kind.RECEIVING, null));
        }
    }

    // ---- downstream -----------------------------------------------------------------------------------------

    /** A hand-over from the inbox for this connection. Called from any thread. */
    public void deliver(HandOver handOver) {
        context.runOnContext(v -> {
            if (closed || leaving || !endpoint.isConnected()) {
                return; // whatever is not acknowledged stays in the inbox; the DISCONNECTED rewinds it
            }
            downstream.handOver(handOver);
        });
    }

    // ---- Upstream.Session -----------------------------------------------------------------------------------

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public PresenceEvent presence(PresenceEvent.Kind kind, String reason) {
        return new PresenceEvent(deviceId, services.events().gatewayId(), epoch, kind, reason, System.currentTimeMillis());
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

    @Override
    public void countUpstreamFailure() {
        meter.upstreamFailed();
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
            services.connections().announce(this);
            services.events().presenceEventually(presence(PresenceEvent.Kind.REASSERTED, background ? "background" : "foreground"));
            if (receivingReported) {
                services.events().presenceEventually(presence(PresenceEvent.Kind.RECEIVING, null));
            }
        });
    }

    /** The delivery channel was lost for a while: ask the inbox for what is unacknowledged again. */
    public CompletionStage<Integer> resync() {
        return receivingReported && !closed ? services.acknowledgements().resync(deviceId, epoch) : CompletableFuture.completedFuture(0);
    }

    // ---- end ------------------------------------------------------------------------------------------------

    /** The device's credentials were rotated or revoked in the registry: it must authenticate again. */
    public void revoke() {
        context.runOnContext(v -> control.disconnect(MqttDisconnectReasonCode.NOT_AUTHORIZED, "revoked",
                "the device's credentials were revoked or rotated"));
    }

    /** A newer connection with the same client id arrived, here or on another gateway: MQTT says the old one goes (0x8E). */
    public void takeOver() {
        context.runOnContext(v -> {
            if (!closed) {
                control.disconnect(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, "takeover", "a newer connection took the session over");
            }
        });
    }

    /**
     * The gateway is shutting down (graceful drain): report DISCONNECTED with reason "shutdown" and wait until
     * Kafka has it, so fanout routes new messages to push and inbox instead of into this socket; then send
     * DISCONNECT with {@code code} and {@code properties} (MQTT 5; MQTT 3.1.1 is just closed) and close. Hand-overs
     * arriving meanwhile are dropped: fanout re-routes them on the DISCONNECTED. Called from any thread; the stage
     * completes when the connection has closed.
     */
    @Override
    public CompletionStage<Void> leave(MqttDisconnectReasonCode code, MqttProperties properties) {
        context.runOnContext(v -> {
            if (closed || leaving) {
                return;
            }
            leaving = true;
            control.closeReason("shutdown");
            services.events().presence(presence(PresenceEvent.Kind.DISCONNECTED, "shutdown")).toCompletableFuture()
                    .orTimeout(LEAVE_PRESENCE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .whenComplete((ok, error) -> context.runOnContext(w -> {
                        if (error == null) {
                            leftReported = true;
                        } else {
                            // Still in the device set: once this gateway's heartbeat lapses, fanout's reaper reports it.
                            LOG.warnf("DISCONNECTED of %s not confirmed by Kafka before closing: %s", deviceId, error.getMessage());
                        }
                        if (closed) {
                            if (leftReported) {
                                services.connections().dropFromDeviceSet(deviceId); // the device went first (onClose)
                            }
                            return;
                        }
                        control.disconnect(code, properties, "shutdown");
                    }));
        });
        return closedFuture;
    }

    /**
     * The client's DISCONNECT; on MQTT 5 it may change the session's expiry, and only 0x00 discards the will
     * [MQTT-3.14.4-3]: 0x04 (Disconnect with Will Message) asks for it, and an error code is no normal end either.
     */
    private void onDisconnect(MqttDisconnectMessage message) {
        control.closeReason("clean");
        willDiscarded = !control.isMqtt5() || message.code() == null || message.code() == MqttDisconnectReasonCode.NORMAL;
        terms = terms.withExpiryOnDisconnect(MqttProps.unsignedInt(message.properties(),
                MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL), services.settings().maxSessionExpiry());
    }

    /** The connection ended, as its endpoint or its socket tells; once, whichever comes first. */
    private void onClose() {
        if (closed) {
            return;
        }
        closed = true;
        keepAlive.stop();
        meter.closed();
        downstream.close(control.closeReason());
        if (!leaving || leftReported) {
            services.connections().remove(this);
        } else {
            services.connections().unregister(this); // its DISCONNECTED is not in Kafka (yet): see leave
        }
        if (connackSent && !willDiscarded) {
            // After its Will Delay Interval, or when the session expires if sooner (at once when it ends with the connection).
            Duration delay = WillDelay.of(control.isMqtt5(), endpoint.will() == null ? null : endpoint.will().getWillProperties(),
                    terms.expiry());
            DelayedWill sender = new DelayedWill(services.wills(), context, services.store(), services.events());
            upstream.publishWill(endpoint.will(), will -> sender.send(will, epoch, delay));
        }
        if (terms.stored()) {
            // Kept for its expiry from now (or discarded), unless a newer connection holds it already.
            services.store().endSession(deviceId, epoch, terms.expiry()).exceptionally(error -> {
                LOG.warnf("end of the session of %s not stored: %s", deviceId, error.getMessage());
                return false;
            });
        }
        if (!leaving) {
            // A drained connection reported DISCONNECTED before it closed (see leave).
            services.events().presenceEventually(presence(PresenceEvent.Kind.DISCONNECTED, control.closeReason()));
        }
        closedFuture.complete(null);
    }
}
