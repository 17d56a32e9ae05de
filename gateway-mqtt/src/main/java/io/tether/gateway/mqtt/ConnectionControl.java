package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;

/**
 * Ending a connection the way its MQTT version allows: MQTT 5 gets a DISCONNECT with a reason code, MQTT 3.1.1 (which
 * has none) a closed socket. Remembers why, for the DISCONNECTED presence event. Event-loop confined.
 */
final class ConnectionControl {
    private final MqttEndpoint endpoint;
    private final boolean mqtt5;
    private String closeReason = "closed";

    ConnectionControl(MqttEndpoint endpoint) {
        this.endpoint = endpoint;
        this.mqtt5 = endpoint.protocolVersion() == MqttVersion.MQTT_5.protocolLevel();
    }

    boolean isMqtt5() {
        return mqtt5;
    }

    MqttEndpoint endpoint() {
        return endpoint;
    }

    String closeReason() {
        return closeReason;
    }

    void closeReason(String reason) {
        closeReason = reason;
    }

    /** MQTT 5: DISCONNECT with {@code code} (then the socket closes); MQTT 3.1.1: the socket closes. */
    void disconnect(MqttDisconnectReasonCode code, String reason) {
        disconnect(code, MqttProperties.NO_PROPERTIES, reason);
    }

    void disconnect(MqttDisconnectReasonCode code, MqttProperties properties, String reason) {
        closeReason = reason;
        try {
            if (mqtt5 && endpoint.isConnected()) {
                endpoint.disconnect(code, properties); // writes DISCONNECT, then closes the connection itself
            } else {
                endpoint.close();
            }
        } catch (IllegalStateException alreadyClosed) {
            // Vert.x closed the endpoint already (a second CONNECT, say); its close handler is on its way.
        }
    }
}
