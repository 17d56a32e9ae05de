package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tether.contract.DeviceId;
import io.tether.contract.PresenceEvent;
import io.tether.gateway.metrics.GatewayMetrics;
import io.tether.gateway.store.GatewayStore;
import io.tether.runtime.failure.Failures;
import io.tether.runtime.failure.ThrottledLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.mqtt.MqttEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * CONNECT: read the device (one script: existence, revocation, secret, credential version, grants, a new epoch and the
 * stored session), authenticate (password, or a TLS client certificate naming the device), take over an older
 * connection here at once, then, side by side: announce the connection in this gateway's device set, report it to
 * Kafka, and in one script claim the device ({@link ConnectHooks#claim}: an older connection on another gateway hears of
 * it on its control channel) and take its stored session. Only then CONNACK, with Session Present when the claim resumed
 * the stored session (its subscriptions restored, so the device receives without subscribing again), so presence can
 * never miss a device that believes it is connected. That claim's answer also settles the delayed will of the connection
 * before it (see {@link PendingWills}). Failed authentications go to {@link ConnectHooks#refused} (the connect guard
 * counts them).
 */
public final class ConnectHandler implements Handler<MqttEndpoint> {
    private static final Logger LOG = Logger.getLogger(ConnectHandler.class);
    /** While Redis is down every CONNECT fails (counted in connect_errors{server-unavailable}): one line per interval. */
    private static final ThrottledLog UNAVAILABLE = ThrottledLog.warnings(LOG, Duration.ofSeconds(10));

    private final SessionServices services;
    private final GatewayMetrics metrics;
    private final String transport;

    /** @param transport the listener's transport label for the metrics: tcp, tls, ws or wss */
    public ConnectHandler(SessionServices services, GatewayMetrics metrics, String transport) {
        this.services = services;
        this.metrics = metrics;
        this.transport = transport;
    }

    /**
     * A connection on its way to CONNACK; {@code takenOver} when a newer connection of the device holds it already (the
     * device or its session), so this one gets DISCONNECT 0x8E right after CONNACK. {@code sessionPresent} is the
     * claim's answer, the same fact that decided the will of the connection before it.
     */
    private record Opened(DeviceSession session, boolean sessionPresent, List<String> dropped, boolean takenOver) {
    }

    @Override
    public void handle(MqttEndpoint endpoint) {
        ConnectGate gate = ConnectGate.of(EndpointSocket.vertxHandler(endpoint)); // MqttListener put it there
        Context context = services.vertx().getOrCreateContext();
        boolean mqtt5 = endpoint.protocolVersion() == MqttVersion.MQTT_5.protocolLevel();
        String deviceId = endpoint.clientIdentifier();
        if (endpoint.will() != null && endpoint.will().isWillFlag()
                && ProtocolErrors.malformedTopics(java.util.Collections.singletonList(endpoint.will().getWillTopic())).isPresent()) {
            // U+0000 makes the CONNECT a Malformed Packet [MQTT-1.5.4-2, MQTT-1.5.3-2], checked before anything else
            // [MQTT-3.1.4-1]: MQTT 5 answers 0x81, 3.1.1 has no code for it and closes. Accepted, the will would be
            // refused only when it came due, with the session long gone.
            metrics.connectError("malformed");
            gate.drop();
            if (mqtt5) {
                reject(endpoint, true, MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET, null,
                        "the will topic must not contain U+0000");
            } else {
                answer(endpoint, endpoint::close);
            }
            return;
        }
        if (!DeviceId.isValid(deviceId)) {
            services.hooks().refused(endpoint);
            metrics.authFailure("client-id-invalid");
            gate.drop();
            reject(endpoint, mqtt5, MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID,
                    MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "the client id must be the device id");
            return;
        }
        if (mqtt5 && MqttProps.hasAuthenticationMethod(endpoint.connectProperties())) {
            // Enhanced authentication (AUTH exchanges) is not supported: the CONNECT must be refused [MQTT-4.12.0-1].
            metrics.connectError("auth-method-unsupported");
            gate.drop();
            reject(endpoint, true, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD, null,
                    "enhanced authentication is not supported: connect with user name and password, or a client certificate");
            return;
        }
        if (mqtt5 && endpoint.will() != null && endpoint.will().isWillFlag() && refusesWill(endpoint)) {
            gate.drop();
            return;
        }
        SessionSettings settings = services.settings();
        SessionTerms terms = SessionTerms.of(mqtt5, endpoint.isCleanSession(), MqttProps.unsignedInt(endpoint.connectProperties(),
                MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL), endpoint.keepAliveTimeSeconds(), settings.maxSessionExpiry(),
                settings.maxKeepAliveSeconds());
        GatewayStore store = services.store();
        // A socket can close while the CONNECT is being checked, before the session exists to hear of it; Vert.x tells
        // the endpoint (which then refuses every call), or only the socket when it replaced the endpoint (EndpointSocket).
        boolean[] endpointClosed = new boolean[1];
        endpoint.closeHandler(v -> endpointClosed[0] = true);
        Future<Void> socketClosed = EndpointSocket.closed(endpoint);
        BooleanSupplier closed = () -> closed(endpoint, endpointClosed) || socketClosed.isComplete();
        Future.fromCompletionStage(store.connect(deviceId), context)
                .compose(found -> whileOpen(closed, () -> found.filter(info -> authorized(endpoint, deviceId, info))
                        .map(Future::succeededFuture)
                        .orElseGet(() -> Future.failedFuture(new NotAuthorized("unknown device or wrong credentials")))))
                .compose(info -> Future.fromCompletionStage(store.userGrants(info.userId()), context)
                        .compose(user -> whileOpen(closed, () -> open(endpoint, socketClosed, gate, info,
                                Grants.fromHashes(List.of(info.grants(), user)), terms, context))))
                .onSuccess(opened -> {
                    DeviceSession session = opened.session();
                    // Counted from here; a session that closed meanwhile uncounts itself at once (DeviceSession.metered)
                    // and, its socket closed, is not started by accepted().
                    session.metered(metrics.connected(GatewayMetrics.protocol(endpoint.protocolVersion()), transport));
                    if (answer(endpoint, () -> endpoint.accept(opened.sessionPresent(), mqtt5
                            ? MqttProps.connack(settings.maxInflight(), settings.maxPacketSize(), terms) : MqttProperties.NO_PROPERTIES))) {
                        session.connackSent();
                    }
                    if (opened.takenOver()) {
                        session.takeOver(); // a newer connection of the device was claimed meanwhile, here or elsewhere
                        release(gate, endpoint);
                        return;
                    }
                    session.accepted();
                    release(gate, endpoint); // what the client sent after its CONNECT, now that the session handles it
                    if (!opened.dropped().isEmpty()) {
                        store.unsubscribe(deviceId, session.epoch(), opened.dropped());
                    }
                })
                .onFailure(failure -> {
                    gate.drop();
                    Throwable error = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    // Not probed here: once open() bound the session, the probe would take its close handler.
                    if (error instanceof ClosedBeforeConnack || endpointClosed[0] || socketClosed.isComplete()) {
                        LOG.debugf("CONNECT of %s: the connection closed before CONNACK", deviceId);
                        metrics.connectError("closed-before-connack");
                    } else if (error instanceof NotAuthorized refusal) {
                        services.hooks().refused(endpoint);
                        metrics.authFailure(hasCredentials(endpoint) ? "bad-credentials" : "no-credentials");
                        reject(endpoint, mqtt5, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5,
                                MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, refusal.getMessage());
                    } else {
                        UNAVAILABLE.warnf("connect of %s failed: %s", deviceId, Failures.reason(error));
                        metrics.connectError("server-unavailable");
                        reject(endpoint, mqtt5, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5,
                                MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "try again later");
                    }
                });
    }

    /** CONNACK announces Maximum QoS 1 and no retained messages: a will asking for either is refused (MQTT 5 §3.2.2.3.4-5). */
    private boolean refusesWill(MqttEndpoint endpoint) {
        if (endpoint.will().getWillQos() == MqttQoS.EXACTLY_ONCE.value()) {
            metrics.connectError("will-unsupported");
            reject(endpoint, true, MqttConnectReturnCode.CONNECTION_REFUSED_QOS_NOT_SUPPORTED, null, "will QoS 2: Maximum QoS is 1");
            return true;
        }
        if (endpoint.will().isWillRetain()) {
            metrics.connectError("will-unsupported");
            reject(endpoint, true, MqttConnectReturnCode.CONNECTION_REFUSED_RETAIN_NOT_SUPPORTED, null, "retained wills are not supported");
            return true;
        }
        return false;
    }

    /** MQTT 5 refusals carry a Reason String; MQTT 3.1.1 has only its return codes. */
    private static void reject(MqttEndpoint endpoint, boolean mqtt5, MqttConnectReturnCode code5, MqttConnectReturnCode code311, String why) {
        answer(endpoint, () -> {
            if (mqtt5) {
                endpoint.reject(code5, MqttProps.reason(why));
            } else {
                endpoint.reject(code311);
            }
        });
    }

    /**
     * The next step of the CONNECT, unless the connection has closed meanwhile: then, or when the endpoint refuses a call
     * because Vert.x has just closed it (IllegalStateException), the CONNECT ends as closed before CONNACK.
     */
    private static <T> Future<T> whileOpen(BooleanSupplier closed, Supplier<Future<T>> step) {
        if (closed.getAsBoolean()) {
            return Future.failedFuture(new ClosedBeforeConnack());
        }
        try {
            return step.get();
        } catch (IllegalStateException endpointClosed) {
            return Future.failedFuture(new ClosedBeforeConnack());
        }
    }

    /**
     * The device exists (it was just read) and either a client certificate names it or the password matches the secret
     * hash read with it: a deleted or revoked device is refused whichever way it authenticates.
     */
    private static boolean authorized(MqttEndpoint endpoint, String deviceId, GatewayStore.ConnectInfo info) {
        if (endpoint.isSsl() && DeviceAuthenticator.certificateDeviceId(endpoint.sslSession()).filter(deviceId::equals).isPresent()) {
            return true;
        }
        String username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
        String password = endpoint.auth() == null ? null : endpoint.auth().getPassword();
        return DeviceAuthenticator.matches(deviceId, username, password, info.secretHash());
    }

    private static boolean hasCredentials(MqttEndpoint endpoint) {
        return endpoint.isSsl() && DeviceAuthenticator.certificateDeviceId(endpoint.sslSession()).isPresent()
                || endpoint.auth() != null && endpoint.auth().getPassword() != null;
    }

    private Future<Opened> open(MqttEndpoint endpoint, Future<Void> socketClosed, SocketReading reading, GatewayStore.ConnectInfo info,
            Grants grants, SessionTerms terms, Context context) {
        DeviceSession session = new DeviceSession(endpoint, socketClosed, reading, info.epoch(), context, services, grants, terms);
        // Restored from what the CONNECT read, before the claim says whether it resumed (as before the claim answered it;
        // the connect gate holds what the client sends until CONNACK, so nothing it sends meets this provisional state),
        // and taken back when the claim found the session gone or replaced since the CONNECT read it.
        boolean restored = terms.sessionPresent(info.session().exists());
        List<String> dropped = restored ? session.restore(info.session().subscriptions()) : List.of();
        try {
            session.bind();
        } catch (IllegalStateException closed) {
            // Vert.x closed the endpoint already (e.g. a second CONNECT on the socket) and tells its close handler later.
            return Future.failedFuture(new ClosedBeforeConnack());
        }
        if (session.isClosed()) {
            return Future.failedFuture(new ClosedBeforeConnack()); // its socket closed before bind(), which told it at once
        }
        Connections connections = services.connections();
        connections.register(session).ifPresent(DeviceSession::takeOver);
        PresenceEvent connected = new PresenceEvent(session.deviceId(), services.events().gatewayId(), info.epoch(),
                PresenceEvent.Kind.CONNECTED, null, System.currentTimeMillis());
        // All before CONNACK, side by side: the device set lets fanout find the device if this gateway dies (it is on
        // the gateway's Redis slot, not the device's, so not in the claim's script).
        CompletableFuture<Void> announced = connections.announce(session).toCompletableFuture();
        CompletableFuture<Void> reported = services.events().presence(connected).toCompletableFuture();
        // Registered first, then claimed (the device and its session, one script): a takeover notice or credential
        // change published after the claim finds the session.
        CompletableFuture<GatewayStore.Opening> claimed = services.hooks().claim(endpoint, session, info.credentialVersion(),
                new GatewayStore.SessionClaim(terms.cleanStart(), terms.stored(), terms.expiry(), info.session().epoch()))
                .toCompletableFuture();
        // The first connection after another settles that one's delayed will as its claim decided, at once, when held
        // here (elsewhere the claim's will notice does). A claim refused (taken over) decided nothing.
        claimed.thenAccept(opening -> {
            if (opening.claim() == GatewayStore.Claim.HELD && opening.followed() > 0) {
                services.wills().settle(session.deviceId(), opening.followed(), opening.resumed());
            }
        });
        CompletableFuture<Opened> all = CompletableFuture.allOf(announced, reported, claimed).thenApply(v -> {
            GatewayStore.Opening opening = claimed.join();
            if (opening.claim() == GatewayStore.Claim.CREDENTIALS_CHANGED) {
                throw new NotAuthorized("the device's credentials changed while it connected"); // since connect.lua read them
            }
            // TAKEN_OVER: a newer connection holds the device or its session, in Redis or in this gateway's table.
            boolean resumed = opening.claim() == GatewayStore.Claim.HELD && opening.resumed();
            return new Opened(session, resumed, resumed ? dropped : List.of(),
                    opening.claim() == GatewayStore.Claim.TAKEN_OVER || !connections.holds(session));
        });
        return Future.fromCompletionStage(all, context).map(opened -> {
            if (restored && !opened.sessionPresent()) {
                session.forgetRestored(info.session().subscriptions().keySet());
            }
            return opened;
        }).onFailure(error -> connections.remove(session));
    }

    /**
     * Whether the endpoint is closed: its socket closed (the flag), or Vert.x closed it itself, as on a second CONNECT on
     * the socket, and tells the close handler only later. A closed endpoint refuses handlers, so setting the flag's handler
     * again is the probe.
     */
    private static boolean closed(MqttEndpoint endpoint, boolean[] closedEarly) {
        if (closedEarly[0]) {
            return true;
        }
        try {
            endpoint.closeHandler(v -> closedEarly[0] = true);
            return false;
        } catch (IllegalStateException alreadyClosed) {
            return true;
        }
    }

    /** Held packets go on only to an accepted endpoint: Vert.x would close the connection for them otherwise. */
    static void release(ConnectGate gate, MqttEndpoint endpoint) {
        if (endpoint.isConnected()) {
            gate.open(endpoint::isConnected);
        } else {
            gate.drop();
        }
    }

    /**
     * CONNACK, or a refusal; nothing to do when the socket closed first (Vert.x refuses to answer a closed endpoint).
     * True when the answer went out.
     */
    private static boolean answer(MqttEndpoint endpoint, Runnable reply) {
        try {
            reply.run();
            return true;
        } catch (IllegalStateException closed) {
            LOG.debugf("no answer to the CONNECT of %s: %s", endpoint.clientIdentifier(), closed.getMessage());
            return false;
        }
    }

    /** The socket closed before the CONNECT was answered: no session, no presence. */
    private static final class ClosedBeforeConnack extends RuntimeException {
        ClosedBeforeConnack() {
            super("closed before CONNACK", null, false, false);
        }
    }

    /** Unknown device, wrong user name or password, or credentials changed meanwhile; the message is the reason string. */
    private static final class NotAuthorized extends RuntimeException {
        NotAuthorized(String reason) {
            super(reason, null, false, false);
        }
    }
}
