package io.tether.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tether.gateway.config.MqttConfig;
import io.vertx.mqtt.MqttServerOptions;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListenersTest {
    static final int MAX_MESSAGE_SIZE = 1024 * 1024;

    /** Plain MQTT on {@code port} and MQTT over WebSocket on {@code wsPort}, packets up to 1 MiB, no TLS. */
    static MqttConfig config(int port, int wsPort) {
        return stub(MqttConfig.class, Map.of("host", "127.0.0.1", "port", port, "maxMessageSize", MAX_MESSAGE_SIZE,
                "connectTimeoutSeconds", 10, "websocket", stub(MqttConfig.WebSocket.class, Map.of("port", wsPort, "tlsPort", 0)),
                "tls", stub(MqttConfig.Tls.class, Map.of("port", 0))));
    }

    /** A configuration interface answering {@code values} by method name. */
    private static <T> T stub(Class<T> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            if (!values.containsKey(method.getName())) {
                throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
            }
            return values.get(method.getName());
        }));
    }

    private static MqttServerOptions listener(String name) {
        return Listeners.from(config(1883, 8084)).stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow().options();
    }

    @Test
    void aWebSocketFrameMayCarryAnyPacketTheDecoderTakesWithSmallerOnesBesideIt() {
        // The largest packet the decoder takes (its limit on Remaining Length and a fixed header of at most 5 bytes),
        // and 64 KiB of other packets in the same frame.
        assertEquals(MAX_MESSAGE_SIZE + 5 + 65_536, listener("ws").getWebSocketMaxFrameSize());
        assertEquals(MAX_MESSAGE_SIZE, listener("ws").getMaxMessageSize());
    }

    @Test
    void anEmptyClientIdIsNotReplacedByOneVertxMakesUp() {
        for (String name : List.of("mqtt", "ws")) {
            assertEquals(false, listener(name).isAutoClientId(), name);
        }
    }

    @Test
    void tls12And13AreServed() {
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), Listeners.protocols(List.of("TLSv1.3", "TLSv1.2")));
    }

    @Test
    void anythingOlderStopsTheGatewayAtStart() {
        for (String old : List.of("TLSv1.1", "TLSv1", "SSLv3")) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Listeners.protocols(List.of("TLSv1.2", old)));
            assertEquals("tether.mqtt.tls.protocols: " + old + " is not allowed (TLSv1.2, TLSv1.3)", refused.getMessage());
        }
    }
}
