package io.tether.gateway.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;
import org.jboss.logging.Logger;

/**
 * The socket under an MQTT endpoint: when it closes, and its place in the channel pipeline (for {@link ConnectGate}).
 * For when it closes, an endpoint's close handler is not enough: Vert.x MQTT 4.5
 * ({@code MqttServerConnection.handleMessage}) answers a CONNECT with an unacceptable protocol version by replacing
 * the connection's endpoint with a new one, so when the socket then closes only that new endpoint hears of it. A
 * device whose valid CONNECT was followed by such a packet would never end: its session would stay counted,
 * registered and in the device set. The socket's own close future has no such gap.
 */
final class EndpointSocket {
    private static final Logger LOG = Logger.getLogger(EndpointSocket.class);
    private static volatile boolean warned;
    private static volatile Field connField;

    private EndpointSocket() {
    }

    /**
     * Completes, on the connection's context, once the endpoint's socket has closed (at once if it has). Never
     * completes when the endpoint is not Vert.x's own implementation; its close handler is then the only signal.
     */
    static Future<Void> closed(MqttEndpoint endpoint) {
        Object socket = socket(endpoint);
        if (socket instanceof ConnectionBase connection) {
            return connection.closeFuture();
        }
        if (!warned) {
            warned = true;
            LOG.warnf("cannot watch the sockets of MQTT endpoints (%s): a connection whose endpoint Vert.x replaced may never end", socket);
        }
        return Promise.<Void>promise().future();
    }

    /** The context of the Vert.x handler in the endpoint's channel pipeline, or null when it cannot be reached. */
    static ChannelHandlerContext vertxHandler(MqttEndpoint endpoint) {
        return socket(endpoint) instanceof NetSocketInternal socket ? socket.channelHandlerContext() : null;
    }

    /** Vert.x's socket under the endpoint, or the exception that kept it out of reach. */
    private static Object socket(MqttEndpoint endpoint) {
        try {
            Field conn = connField;
            if (conn == null || conn.getDeclaringClass() != endpoint.getClass()) {
                conn = endpoint.getClass().getDeclaredField("conn"); // looked up once: twice per CONNECT otherwise
                conn.setAccessible(true);
                connField = conn;
            }
            return conn.get(endpoint);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return e;
        }
    }
}
