package io.tether.gateway.testing;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.tether.gateway.mqtt.SocketReading;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttAuth;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link MqttEndpoint} without a socket (a {@link Proxy}): it keeps the handlers the code under test installs, so a
 * test can play the client's packets, and records what the code sends back, so a test can read the server's answers.
 * Closing it runs the close handler at once, as Vert.x does when the socket closes.
 */
public final class FakeEndpoint {
    /** One packet the server sent (or the socket closing). */
    public record Sent(String kind, Object... args) {
        @Override
        public String toString() {
            return kind + java.util.Arrays.toString(args);
        }
    }

    /** A PUBLISH the server wrote to the client. */
    public record Published(String topic, byte[] payload, MqttQoS qos, int packetId, MqttProperties properties, boolean dup) {
    }

    private final Map<String, Handler<Object>> handlers = new HashMap<>();
    public final List<Sent> sent = new ArrayList<>();
    public final List<Published> published = new ArrayList<>();
    private String clientId = "dev-1";
    private int protocolVersion = MqttVersion.MQTT_5.protocolLevel();
    private MqttProperties connectProperties = new MqttProperties();
    private MqttAuth auth;
    private MqttWill will;
    private boolean cleanSession = true;
    private int keepAlive = 30;
    private boolean connected;
    private boolean closed;
    private boolean readingPaused;
    /** How often reading from the socket was stopped. */
    public int readingPauses;
    private final SocketReading reading = new SocketReading() {
        @Override
        public boolean pause() {
            readingPaused = true;
            readingPauses++;
            return true;
        }

        @Override
        public void resume() {
            readingPaused = false;
        }
    };
    private final MqttEndpoint proxy = (MqttEndpoint) Proxy.newProxyInstance(MqttEndpoint.class.getClassLoader(),
            new Class<?>[] {MqttEndpoint.class}, (p, method, args) -> invoke(method.getName(), args));

    public MqttEndpoint endpoint() {
        return proxy;
    }

    /** Reading from this endpoint's socket, as the gateway stops and resumes it (it can always be stopped). */
    public SocketReading reading() {
        return reading;
    }

    /** Whether the gateway has stopped reading from the socket. */
    public boolean isReadingPaused() {
        return readingPaused;
    }

    public FakeEndpoint clientId(String id) {
        clientId = id;
        return this;
    }

    public FakeEndpoint mqtt311() {
        protocolVersion = MqttVersion.MQTT_3_1_1.protocolLevel();
        return this;
    }

    public FakeEndpoint credentials(String username, String password) {
        auth = new MqttAuth(username, password);
        return this;
    }

    public FakeEndpoint cleanSession(boolean clean) {
        cleanSession = clean;
        return this;
    }

    public FakeEndpoint keepAlive(int seconds) {
        keepAlive = seconds;
        return this;
    }

    public FakeEndpoint will(MqttWill will) {
        this.will = will;
        return this;
    }

    /** Adds a CONNECT property (MQTT 5). */
    public FakeEndpoint connectProperty(MqttProperties.MqttProperty<?> property) {
        connectProperties.add(property);
        return this;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Plays a packet from the client: runs the handler the code installed under {@code handlerName} (e.g. publishHandler). */
    @SuppressWarnings("unchecked")
    public void receive(String handlerName, Object packet) {
        Handler<Object> handler = handlers.get(handlerName);
        if (handler == null) {
            throw new AssertionError("no " + handlerName + " installed");
        }
        handler.handle(packet);
    }

    /**
     * Vert.x closes the endpoint itself (as on a second CONNECT on the socket): from now on it refuses handlers and
     * answers, and tells the close handler only when the socket is gone ({@link #dropSocket}).
     */
    public void closedByVertx() {
        closed = true;
        sent.add(new Sent("close"));
    }

    /** The socket closed under the device (no DISCONNECT). */
    public void dropSocket() {
        if (closed) {
            Handler<Object> closeHandler = handlers.get("closeHandler");
            if (closeHandler != null) {
                closeHandler.handle(null);
            }
            return;
        }
        close();
    }

    /** The kinds of what was sent, in order (CONNACK, SUBACK, DISCONNECT, close...). */
    public List<String> kinds() {
        return sent.stream().map(Sent::kind).toList();
    }

    public Sent last(String kind) {
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).kind().equals(kind)) {
                return sent.get(i);
            }
        }
        throw new AssertionError("nothing of kind " + kind + " sent; sent: " + sent);
    }

    @SuppressWarnings("unchecked")
    private Object invoke(String name, Object[] args) {
        if (name.endsWith("Handler") && args != null && args.length == 1) {
            refuseWhenClosed();
            handlers.put(name, (Handler<Object>) args[0]);
            return proxy;
        }
        switch (name) {
            case "clientIdentifier": return clientId;
            case "protocolVersion": return protocolVersion;
            case "connectProperties": return connectProperties;
            case "auth": return auth;
            case "will": return will;
            case "isCleanSession": return cleanSession;
            case "keepAliveTimeSeconds": return keepAlive;
            case "isConnected": return connected && !closed;
            case "isSsl": return false;
            case "publishAutoAck", "subscriptionAutoAck": return name.equals("publishAutoAck") ? proxy : null;
            case "accept":
                refuseWhenClosed();
                connected = true;
                sent.add(new Sent("CONNACK", args == null ? new Object[0] : args));
                return proxy;
            case "reject":
                refuseWhenClosed();
                sent.add(new Sent("CONNACK-REFUSED", (Object[]) args));
                close();
                return proxy;
            case "subscribeAcknowledge":
                refuseWhenClosed();
                sent.add(new Sent("SUBACK", args));
                return proxy;
            case "unsubscribeAcknowledge":
                refuseWhenClosed();
                sent.add(new Sent("UNSUBACK", args));
                return proxy;
            case "publishAcknowledge":
                refuseWhenClosed();
                sent.add(new Sent("PUBACK", args));
                return proxy;
            case "publish":
                refuseWhenClosed();
                published.add(new Published((String) args[0], ((Buffer) args[1]).getBytes(), (MqttQoS) args[2], (Integer) args[5],
                        (MqttProperties) args[6], (Boolean) args[3]));
                sent.add(new Sent("PUBLISH", args[0], args[5]));
                return Future.succeededFuture(args[5]);
            case "disconnect":
                sent.add(new Sent("DISCONNECT", args));
                close();
                return proxy;
            case "close":
                close();
                return null;
            case "pong":
                return proxy;
            case "toString": return "FakeEndpoint(" + clientId + ")";
            case "hashCode": return System.identityHashCode(this);
            case "equals": return args[0] == proxy;
            default: throw new UnsupportedOperationException("FakeEndpoint." + name);
        }
    }

    /** As Vert.x does: nothing is written to a closed endpoint. */
    private void refuseWhenClosed() {
        if (closed) {
            throw new IllegalStateException("MQTT endpoint is closed");
        }
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        sent.add(new Sent("close"));
        Handler<Object> closeHandler = handlers.get("closeHandler");
        if (closeHandler != null) {
            closeHandler.handle(null);
        }
    }

    // Typed readers of what was sent.

    public MqttDisconnectReasonCode disconnectCode() {
        return (MqttDisconnectReasonCode) last("DISCONNECT").args()[0];
    }

    public MqttProperties disconnectProperties() {
        return (MqttProperties) last("DISCONNECT").args()[1];
    }

    public MqttConnectReturnCode refusal() {
        return (MqttConnectReturnCode) last("CONNACK-REFUSED").args()[0];
    }

    public boolean sessionPresent() {
        return (Boolean) last("CONNACK").args()[0];
    }

    public MqttProperties connackProperties() {
        return (MqttProperties) last("CONNACK").args()[1];
    }

    @SuppressWarnings("unchecked")
    public List<MqttSubAckReasonCode> subackCodes() {
        return (List<MqttSubAckReasonCode>) last("SUBACK").args()[1];
    }

    @SuppressWarnings("unchecked")
    public List<MqttUnsubAckReasonCode> unsubackCodes() {
        return (List<MqttUnsubAckReasonCode>) last("UNSUBACK").args()[1];
    }

    public MqttPubAckReasonCode pubackCode() {
        Object[] args = last("PUBACK").args();
        return args.length > 1 ? (MqttPubAckReasonCode) args[1] : MqttPubAckReasonCode.SUCCESS;
    }

    /** The Reason String of properties, or null. */
    public static String reasonString(MqttProperties properties) {
        MqttProperties.MqttProperty<?> reason = properties.getProperty(MqttProperties.MqttPropertyType.REASON_STRING.value());
        return reason == null ? null : (String) reason.value();
    }

    /** An integer property, or null. */
    public static Integer intProperty(MqttProperties properties, MqttProperties.MqttPropertyType type) {
        MqttProperties.MqttProperty<?> property = properties.getProperty(type.value());
        return property == null ? null : (Integer) property.value();
    }
}
