package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tether.contract.DeviceId;
import io.tether.contract.PresenceEvent;
import io.tether.gateway.delivery.Acknowledgements;
import io.tether.gateway.delivery.EventPublisher;
import io.tether.gateway.metrics.GatewayMetrics;
import io.tether.gateway.store.GatewayStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * CONNECT: authenticate (password, or a TLS client certificate naming the device), load the device's grants,
 * take a new connection epoch, take over an older connection of the same device, report the connection to
 * Kafka, and only then answer CONNACK, so presence can never miss a device that believes it is connected.
 */
public final class ConnectHandler implements Handler<MqttEndpoint> {
    private static final Logger LOG = Logger.getLogger(ConnectHandler.class);

    private final Vertx vertx;
    private final GatewayStore store;
    private final EventPublisher events;
    private final Connections connections;
    private final SessionSettings settings;
    private final MqttTracing tracing;
    private final GatewayMetrics metrics;
    private final String transport;
    private final Acknowledgements acknowledgements;
    private final ConnectHooks hooks;

    /** @param transport the listener's transport label for the metrics: tcp, tls, ws or wss */
    public ConnectHandler(Vertx vertx, GatewayStore store, EventPublisher events,
            Connections connections, SessionSettings settings, MqttTracing tracing, GatewayMetrics metrics, String transport,
            Acknowledgements acknowledgements, ConnectHooks hooks) {
        this.acknowledgements = acknowledgements;
        this.hooks = hooks;
        this.metrics = metrics;
        this.transport = transport;
        this.vertx = vertx;
        this.store = store;
        this.events = events;
        this.connections = connections;
        this.settings = settings;
        this.tracing = tracing;
    }

    @Override
    public void handle(MqttEndpoint endpoint) {
        Context context = vertx.getOrCreateContext();
        boolean mqtt5 = endpoint.protocolVersion() == MqttVersion.MQTT_5.protocolLevel();
        String deviceId = endpoint.clientIdentifier();
        if (!DeviceId.isValid(deviceId)) {
            hooks.refused(endpoint);
            metrics.authFailure("client-id-invalid");
            endpoint.reject(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
            return;
        }
        // A socket can close while the CONNECT is being checked, before the session exists to hear of it; Vert.x tells
        // the endpoint (which then refuses every call), or only the socket when it replaced the endpoint (EndpointSocket).
        boolean[] endpointClosed = new boolean[1];
        endpoint.closeHandler(v -> endpointClosed[0] = true);
        Future<Void> socketClosed = EndpointSocket.closed(endpoint);
        BooleanSupplier closed = () -> endpointClosed[0] || socketClosed.isComplete();
        // One script reads what the device is (and takes its epoch); its user's grants only when it has a user.
        Future.fromCompletionStage(store.connect(deviceId), context)
                .compose(found -> whileOpen(closed, () -> found.filter(info -> authorized(endpoint, deviceId, info))
                        .map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(new NotAuthorized()))))
                .compose(info -> Future.fromCompletionStage(store.userGrants(info.userId()), context)
                        .compose(user -> whileOpen(closed, () -> open(endpoint, socketClosed, info,
                                Grants.fromHashes(List.of(info.grants(), user)), context))))
                .onSuccess(opened -> {
                    // Counted from here; a session that closed meanwhile uncounts itself at once (DeviceSession.metered).
                    opened.session().metered(metrics.connected(GatewayMetrics.protocol(endpoint.protocolVersion()), transport));
                    answer(endpoint, () -> endpoint.accept(false, mqtt5 ? MqttProps.connack(settings.maxInflight()) : MqttProperties.NO_PROPERTIES));
                    if (opened.takenOver()) {
                        opened.session().takeOver(); // a newer connection of the device was claimed meanwhile, elsewhere
                    }
                })
                .onFailure(failure -> {
                    Throwable error = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    if (error instanceof ClosedBeforeConnack || closed.getAsBoolean()) {
                        LOG.debugf("CONNECT of %s: the connection closed before CONNACK", deviceId);
                        metrics.connectError("closed-before-connack");
                    } else if (error instanceof NotAuthorized) {
                        hooks.refused(endpoint);
                        answer(endpoint, () -> {
                            metrics.authFailure(hasCredentials(endpoint) ? "bad-credentials" : "no-credentials");
                            endpoint.reject(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
                        });
                    } else {
                        LOG.warnf("connect of %s failed: %s", deviceId, error.getMessage());
                        metrics.connectError("server-unavailable");
                        answer(endpoint, () -> endpoint.reject(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                                : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE));
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

    /** A session opened for a CONNECT; {@code takenOver} when a newer connection of the device holds it already. */
    private record Opened(DeviceSession session, boolean takenOver) {
    }

    private Future<Opened> open(MqttEndpoint endpoint, Future<Void> socketClosed, GatewayStore.ConnectInfo info, Grants grants,
            Context context) {
        long epoch = info.epoch();
        DeviceSession session = new DeviceSession(endpoint, socketClosed, epoch, vertx, context, events, connections, store, grants,
                settings, tracing, acknowledgements);
        session.bind();
        if (session.isClosed()) {
            return Future.failedFuture(new ClosedBeforeConnack()); // its socket closed before bind(), which told it at once
        }
        connections.register(session).ifPresent(DeviceSession::takeOver);
        PresenceEvent connected = new PresenceEvent(session.deviceId(), events.gatewayId(), epoch,
                PresenceEvent.Kind.CONNECTED, null, System.currentTimeMillis());
        // Both before CONNACK, written side by side: the device set lets fanout find the device if this gateway dies.
        CompletionStage<Void> announced = connections.announce(session);
        CompletionStage<Void> reported = events.presence(connected);
        // Registered first, then claimed: a takeover notice or credential change published after the claim finds it.
        CompletionStage<GatewayStore.Claim> claimed = hooks.claim(endpoint, session, info.credentialVersion());
        CompletionStage<Opened> opened = announced.thenCombine(reported, (a, b) -> session).thenCombine(claimed, (s, claim) -> {
            if (claim == GatewayStore.Claim.CREDENTIALS_CHANGED) {
                throw new NotAuthorized(); // revoked, rotated or deleted since connect.lua read it
            }
            return new Opened(s, claim == GatewayStore.Claim.TAKEN_OVER);
        });
        return Future.fromCompletionStage(opened, context).onFailure(error -> connections.remove(session));
    }

    /** CONNACK, or a refusal; nothing to do when the socket closed first (Vert.x refuses to answer a closed endpoint). */
    private static void answer(MqttEndpoint endpoint, Runnable reply) {
        try {
            reply.run();
        } catch (IllegalStateException closed) {
            LOG.debugf("no answer to the CONNECT of %s: %s", endpoint.clientIdentifier(), closed.getMessage());
        }
    }

    /** The socket closed before the CONNECT was answered: no session, no presence. */
    private static final class ClosedBeforeConnack extends RuntimeException {
        ClosedBeforeConnack() {
            super("closed before CONNACK", null, false, false);
        }
    }

    /** Wrong client id, user name or password. */
    private static final class NotAuthorized extends RuntimeException {
        NotAuthorized() {
            super("not authorized", null, false, false);
        }
    }
}
