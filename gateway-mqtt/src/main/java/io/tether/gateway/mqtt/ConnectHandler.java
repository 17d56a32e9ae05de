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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * CONNECT: authenticate (password, or a TLS client certificate naming the device), load the device's grants,
 * take a new connection epoch, take over an older connection of the same device, report the connection to
 * Kafka, and only then answer CONNACK, so presence can never miss a device that believes it is connected.
 */
public final class ConnectHandler implements Handler<MqttEndpoint> {
    private static final Logger LOG = Logger.getLogger(ConnectHandler.class);

    private final Vertx vertx;
    private final DeviceAuthenticator authenticator;
    private final GatewayStore store;
    private final EventPublisher events;
    private final Connections connections;
    private final SessionSettings settings;
    private final MqttTracing tracing;
    private final GatewayMetrics metrics;
    private final String transport;
    private final Acknowledgements acknowledgements;

    /** @param transport the listener's transport label for the metrics: tcp, tls, ws or wss */
    public ConnectHandler(Vertx vertx, DeviceAuthenticator authenticator, GatewayStore store, EventPublisher events,
            Connections connections, SessionSettings settings, MqttTracing tracing, GatewayMetrics metrics, String transport,
            Acknowledgements acknowledgements) {
        this.acknowledgements = acknowledgements;
        this.metrics = metrics;
        this.transport = transport;
        this.vertx = vertx;
        this.authenticator = authenticator;
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
            metrics.authFailure("client-id-invalid");
            endpoint.reject(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
            return;
        }
        Future.fromCompletionStage(authenticate(endpoint, deviceId), context)
                .compose(ok -> ok ? Future.fromCompletionStage(store.grants(deviceId), context) : Future.failedFuture(new NotAuthorized()))
                .compose(hashes -> Future.fromCompletionStage(store.nextEpoch(deviceId), context)
                        .compose(epoch -> open(endpoint, epoch, Grants.fromHashes(hashes), context)))
                .onSuccess(session -> {
                    session.metered(metrics.connected(GatewayMetrics.protocol(endpoint.protocolVersion()), transport));
                    endpoint.accept(false, mqtt5 ? MqttProps.connack(settings.maxInflight()) : MqttProperties.NO_PROPERTIES);
                })
                .onFailure(error -> {
                    if (error instanceof NotAuthorized) {
                        metrics.authFailure(hasCredentials(endpoint) ? "bad-credentials" : "no-credentials");
                        endpoint.reject(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                                : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
                    } else {
                        LOG.warnf("connect of %s failed: %s", deviceId, error.getMessage());
                        metrics.connectError("server-unavailable");
                        endpoint.reject(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                                : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
                    }
                });
    }

    /** A client certificate naming this device is enough; otherwise the password must match. */
    private CompletionStage<Boolean> authenticate(MqttEndpoint endpoint, String deviceId) {
        if (endpoint.isSsl() && DeviceAuthenticator.certificateDeviceId(endpoint.sslSession()).filter(deviceId::equals).isPresent()) {
            return CompletableFuture.completedFuture(true);
        }
        String username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
        String password = endpoint.auth() == null ? null : endpoint.auth().getPassword();
        return authenticator.authenticate(deviceId, username, password);
    }

    private static boolean hasCredentials(MqttEndpoint endpoint) {
        return endpoint.isSsl() && DeviceAuthenticator.certificateDeviceId(endpoint.sslSession()).isPresent()
                || endpoint.auth() != null && endpoint.auth().getPassword() != null;
    }

    private Future<DeviceSession> open(MqttEndpoint endpoint, long epoch, Grants grants, Context context) {
        DeviceSession session = new DeviceSession(endpoint, epoch, vertx, context, events, connections, store, grants, settings, tracing,
                acknowledgements);
        session.bind();
        connections.register(session).ifPresent(DeviceSession::takeOver);
        PresenceEvent connected = new PresenceEvent(session.deviceId(), events.gatewayId(), epoch,
                PresenceEvent.Kind.CONNECTED, null, System.currentTimeMillis());
        return Future.fromCompletionStage(connections.announce(session), context)
                .compose(v -> Future.fromCompletionStage(events.presence(connected), context))
                .map(session)
                .onFailure(error -> connections.remove(session));
    }

    /** Wrong client id, user name or password. */
    private static final class NotAuthorized extends RuntimeException {
        NotAuthorized() {
            super("not authorized", null, false, false);
        }
    }
}
