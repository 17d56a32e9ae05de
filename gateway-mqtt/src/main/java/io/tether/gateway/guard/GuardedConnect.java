package io.tether.gateway.guard;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tether.gateway.mqtt.SessionLimits;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Before a CONNECT reaches authentication: its will must fit the limits (payload, topic), and its source must not be
 * held back by the {@link ConnectGuard} (MQTT 5: 0x97 quota exceeded, 0x8A banned; MQTT 3.1.1: 0x03, 0x05).
 */
public final class GuardedConnect implements Handler<MqttEndpoint> {
    private static final Logger LOG = Logger.getLogger(GuardedConnect.class);

    private final Vertx vertx;
    private final ConnectGuard guard;
    private final SessionLimits limits;
    private final Handler<MqttEndpoint> next;

    /** @param guard null when failed CONNECTs are not limited */
    public GuardedConnect(Vertx vertx, ConnectGuard guard, SessionLimits limits, Handler<MqttEndpoint> next) {
        this.vertx = vertx;
        this.guard = guard;
        this.limits = limits;
        this.next = next;
    }

    @Override
    public void handle(MqttEndpoint endpoint) {
        boolean mqtt5 = endpoint.protocolVersion() == MqttVersion.MQTT_5.protocolLevel();
        Optional<MqttConnectReturnCode> will = limits.willRefusal(endpoint.will(), mqtt5);
        if (will.isPresent()) {
            endpoint.reject(will.get());
            return;
        }
        if (guard == null) {
            next.handle(endpoint);
            return;
        }
        Context context = vertx.getOrCreateContext();
        // The socket can close while the guard asks Redis; then nothing is left to answer (and the next handler, which
        // watches for an early close itself, would never hear of this one).
        boolean[] closedEarly = new boolean[1];
        endpoint.closeHandler(v -> closedEarly[0] = true);
        Future.fromCompletionStage(guard.admit(endpoint.clientIdentifier(), Sources.of(endpoint)), context).onComplete(result -> {
            if (closedEarly[0]) {
                return;
            }
            if (result.failed()) {
                // Redis cannot answer: neither can the CONNECT script, which then refuses with "server unavailable".
                LOG.debugf("connect guard unavailable: %s", result.cause().getMessage());
                next.handle(endpoint);
                return;
            }
            switch (result.result()) {
                case ALLOW -> next.handle(endpoint);
                case QUOTA_EXCEEDED -> endpoint.reject(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED
                        : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
                case BANNED -> endpoint.reject(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BANNED
                        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            }
        });
    }
}
