package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tether.contract.DeviceId;
import io.tether.contract.PresenceEvent;
import io.tether.gateway.kafka.EventPublisher;
import io.tether.gateway.store.GatewayStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * CONNECT: authenticate, take a new connection epoch, take over an older connection of the same device,
 * report the connection to Kafka, and only then answer CONNACK, so presence can never miss a device that
 * believes it is connected.
 */
public final class ConnectHandler implements Handler<MqttEndpoint> {
    private static final Logger LOG = Logger.getLogger(ConnectHandler.class);

    private final Vertx vertx;
    private final DeviceAuthenticator authenticator;
    private final GatewayStore store;
    private final EventPublisher events;
    private final Connections connections;
    private final Duration ackTimeout;
    private final int maxInflight;

    public ConnectHandler(Vertx vertx, DeviceAuthenticator authenticator, GatewayStore store, EventPublisher events,
            Connections connections, Duration ackTimeout, int maxInflight) {
        this.vertx = vertx;
        this.authenticator = authenticator;
        this.store = store;
        this.events = events;
        this.connections = connections;
        this.ackTimeout = ackTimeout;
        this.maxInflight = maxInflight;
    }

    @Override
    public void handle(MqttEndpoint endpoint) {
        Context context = vertx.getOrCreateContext();
        boolean mqtt5 = endpoint.protocolVersion() == MqttVersion.MQTT_5.protocolLevel();
        String deviceId = endpoint.clientIdentifier();
        if (!DeviceId.isValid(deviceId)) {
            endpoint.reject(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
            return;
        }
        String username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
        String password = endpoint.auth() == null ? null : endpoint.auth().getPassword();
        Future.fromCompletionStage(authenticator.authenticate(deviceId, username, password), context)
                .compose(ok -> ok ? Future.fromCompletionStage(store.nextEpoch(deviceId), context) : Future.failedFuture(new NotAuthorized()))
                .compose(epoch -> open(endpoint, epoch, context))
                .onSuccess(session -> endpoint.accept(false, mqtt5 ? MqttProps.connack(maxInflight) : MqttProperties.NO_PROPERTIES))
                .onFailure(error -> {
                    if (error instanceof NotAuthorized) {
                        endpoint.reject(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                                : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
                    } else {
                        LOG.warnf("connect of %s failed: %s", deviceId, error.getMessage());
                        endpoint.reject(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                                : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
                    }
                });
    }

    private Future<DeviceSession> open(MqttEndpoint endpoint, long epoch, Context context) {
        DeviceSession session = new DeviceSession(endpoint, epoch, vertx, context, events, connections, ackTimeout, maxInflight);
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
