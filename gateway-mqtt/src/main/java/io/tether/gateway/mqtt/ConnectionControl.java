package io.tether.gateway.mqtt;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;

/**
 * Ending a connection the way its MQTT version allows: MQTT 5 gets a DISCONNECT with a reason code and a Reason String,
 * MQTT 3.1.1 (which has none) a closed socket. Remembers why, for the DISCONNECTED presence event. Knows whether the
 * client wants Reason Strings on acknowledgements (Request Problem Information). Event-loop confined.
 */
final class ConnectionControl {
    private final MqttEndpoint endpoint;
    private final boolean mqtt5;
    private final boolean problemInformation;
    private String closeReason = "closed";
    private boolean readingHeld;
    private long readingResumedAt;

    ConnectionControl(MqttEndpoint endpoint) {
        this.endpoint = endpoint;
        this.mqtt5 = endpoint.protocolVersion() == MqttVersion.MQTT_5.protocolLevel();
        this.problemInformation = mqtt5 && MqttProps.problemInformationWanted(endpoint.connectProperties());
    }

    boolean isMqtt5() {
        return mqtt5;
    }

    MqttEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Whether an answer can still be written: Vert.x may have closed the endpoint (a takeover, a refusal) while a
     * Kafka or Redis write was out, before its close handler has run, and refuses writes then.
     */
    boolean answerable() {
        return endpoint.isConnected();
    }

    /**
     * Reading from the socket is stopped (MQTT 3.1.1 back-pressure, see {@link Upstream}): PUBACKs the client sent for
     * deliveries sit unread meanwhile, so their silence says nothing of the device.
     */
    boolean readingHeld() {
        return readingHeld;
    }

    void readingHeld(boolean held) {
        if (readingHeld && !held) {
            readingResumedAt = System.currentTimeMillis();
        }
        readingHeld = held;
    }

    /** When reading last resumed after being held (epoch millis), 0 if it never was. */
    long readingResumedAt() {
        return readingResumedAt;
    }

    String closeReason() {
        return closeReason;
    }

    void closeReason(String reason) {
        closeReason = reason;
    }

    /** Properties of a PUBACK, SUBACK or UNSUBACK that refuses: a Reason String unless the client asked for none. */
    MqttProperties ackReason(String text) {
        return problemInformation ? MqttProps.reason(text) : MqttProperties.NO_PROPERTIES;
    }

    /**
     * MQTT 5: DISCONNECT with {@code code} and {@code text} as its Reason String (then the socket closes); MQTT 3.1.1:
     * the socket closes. {@code reason} is the short label presence and metrics get.
     */
    void disconnect(MqttDisconnectReasonCode code, String reason, String text) {
        disconnect(code, MqttProps.reason(text), reason);
    }

    /** A packet the decoder refused: too large for this gateway (0x95), or malformed (0x81); other errors are left alone. */
    void refuseUndecodable(Throwable error, int maxPacketSize) {
        Throwable cause = error instanceof DecoderException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TooLongFrameException) {
            disconnect(MqttDisconnectReasonCode.PACKET_TOO_LARGE, "packet-too-large",
                    "a packet above the Maximum Packet Size of " + maxPacketSize + " bytes");
        } else if (error instanceof DecoderException) {
            disconnect(MqttDisconnectReasonCode.MALFORMED_PACKET, "malformed", "malformed packet");
        }
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
            // Closed meanwhile (by the client or by Vert.x): nothing left to end; its close handler runs or ran.
        }
    }
}
