package io.tether.gateway.drain;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import java.util.Optional;

/**
 * What a draining gateway tells MQTT 5 devices. Without a server reference: DISCONNECT 0x8B (server shutting
 * down). With one: DISCONNECT 0x9C (use another server) carrying the Server Reference property, which a client
 * may use to reconnect elsewhere. A CONNECT that still arrives during the drain is refused with CONNACK 0x9C and the
 * reference, or 0x88 (server unavailable); MQTT 3.1.1 has no DISCONNECT from the server and gets CONNACK 3.
 */
public record DrainNotice(Optional<String> serverReference) {
    static final String REASON = "gateway shutting down";

    public DrainNotice {
        serverReference = serverReference.map(String::trim).filter(s -> !s.isEmpty());
    }

    public MqttDisconnectReasonCode disconnectCode() {
        return serverReference.isPresent() ? MqttDisconnectReasonCode.USE_ANOTHER_SERVER : MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN;
    }

    /** Properties of the DISCONNECT: a Reason String, and the Server Reference when configured. */
    public MqttProperties disconnectProperties() {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(MqttPropertyType.REASON_STRING.value(), REASON));
        serverReference.ifPresent(ref -> properties.add(new MqttProperties.StringProperty(MqttPropertyType.SERVER_REFERENCE.value(), ref)));
        return properties;
    }

    public MqttConnectReturnCode refusal(boolean mqtt5) {
        if (!mqtt5) {
            return MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
        }
        return serverReference.isPresent() ? MqttConnectReturnCode.CONNECTION_REFUSED_USE_ANOTHER_SERVER
                : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5;
    }

    /** CONNACK properties of a refusal: the Server Reference when configured (MQTT 5 only). */
    public MqttProperties refusalProperties(boolean mqtt5) {
        MqttProperties properties = new MqttProperties();
        if (mqtt5) {
            serverReference.ifPresent(ref -> properties.add(new MqttProperties.StringProperty(MqttPropertyType.SERVER_REFERENCE.value(), ref)));
        }
        return properties;
    }
}
