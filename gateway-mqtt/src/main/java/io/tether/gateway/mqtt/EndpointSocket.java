package io.tether.gateway.mqtt;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;
import org.jboss.logging.Logger;

/**
 * When the socket under an MQTT endpoint closes. An endpoint's close handler is not enough: Vert.x MQTT 4.5
 * ({@code MqttServerConnection.handleMessage}) answers a CONNECT with an unacceptable protocol version by replacing
 * the connection's endpoint with a new one, so when the socket then closes only that new endpoint hears of it. A
 * device whose valid CONNECT was followed by such a packet would never end: its session would stay counted,
 * registered and in the device set. The socket's own close future has no such gap.
 */
final class EndpointSocket {
    private static final Logger LOG = Logger.getLogger(EndpointSocket.class);
    private static volatile boolean warned;

    private EndpointSocket() {
    }

    /**
     * Completes, on the connection's context, once the endpoint's socket has closed (at once if it has). Never
     * completes when the endpoint is not Vert.x's own implementation; its close handler is then the only signal.
     */
    static Future<Void> closed(MqttEndpoint endpoint) {
        Object socket;
        try {
            Field conn = endpoint.getClass().getDeclaredField("conn");
            conn.setAccessible(true);
            socket = conn.get(endpoint);
        } catch (ReflectiveOperationException | RuntimeException e) {
            socket = e;
        }
        if (socket instanceof ConnectionBase connection) {
            return connection.closeFuture();
        }
        if (!warned) {
            warned = true;
            LOG.warnf("cannot watch the sockets of MQTT endpoints (%s): a connection whose endpoint Vert.x replaced may never end", socket);
        }
        return Promise.<Void>promise().future();
    }
}
