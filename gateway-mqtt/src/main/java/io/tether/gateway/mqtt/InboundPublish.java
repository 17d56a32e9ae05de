package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import org.jboss.logging.Logger;

/**
 * One PUBLISH from a device and how to answer it (Hono's MqttContext): the one place where the answers of MQTT 3.1.1
 * and 5 differ. QoS 0 is never answered; QoS 1 gets PUBACK, QoS 2 PUBREC; a refusal is a PUBACK reason code on
 * MQTT 5 QoS 1, a DISCONNECT with the matching reason on other MQTT 5 QoS, and a closed socket on MQTT 3.1.1.
 */
final class InboundPublish {
    private static final Logger LOG = Logger.getLogger(InboundPublish.class);

    private final MqttPublishMessage message;
    private final ConnectionControl connection;

    InboundPublish(MqttPublishMessage message, ConnectionControl connection) {
        this.message = message;
        this.connection = connection;
    }

    String topic() {
        return message.topicName();
    }

    byte[] payload() {
        return message.payload().getBytes();
    }

    int payloadLength() {
        return message.payload().length();
    }

    MqttQoS qos() {
        return message.qosLevel();
    }

    MqttProperties properties() {
        return message.properties();
    }

    /** Taken: the record is durable (QoS 1 PUBACK, QoS 2 PUBREC; nothing for QoS 0). */
    void acknowledge() {
        switch (message.qosLevel()) {
            case AT_LEAST_ONCE -> connection.endpoint().publishAcknowledge(message.messageId());
            case EXACTLY_ONCE -> connection.endpoint().publishReceived(message.messageId());
            default -> { }
        }
    }

    void refuse(MqttPubAckReasonCode code, String why) {
        LOG.debugf("refusing publish of %s on %s: %s", connection.endpoint().clientIdentifier(), message.topicName(), why);
        if (connection.isMqtt5() && message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            connection.endpoint().publishAcknowledge(message.messageId(), code, MqttProperties.NO_PROPERTIES);
        } else if (connection.isMqtt5()) {
            connection.disconnect(disconnectReason(code), why);
        } else {
            connection.closeReason("refused");
            connection.endpoint().close();
        }
    }

    /** Too large for this gateway: MQTT 5 has no PUBACK code for it, Packet Too Large is a DISCONNECT reason. */
    void refuseTooLarge() {
        if (connection.isMqtt5()) {
            connection.disconnect(MqttDisconnectReasonCode.PACKET_TOO_LARGE, "packet-too-large");
        } else {
            connection.closeReason("packet-too-large");
            connection.endpoint().close();
        }
    }

    static MqttDisconnectReasonCode disconnectReason(MqttPubAckReasonCode code) {
        return switch (code) {
            case NOT_AUTHORIZED -> MqttDisconnectReasonCode.NOT_AUTHORIZED;
            case PAYLOAD_FORMAT_INVALID -> MqttDisconnectReasonCode.PAYLOAD_FORMAT_INVALID;
            case QUOTA_EXCEEDED -> MqttDisconnectReasonCode.QUOTA_EXCEEDED;
            case TOPIC_NAME_INVALID -> MqttDisconnectReasonCode.TOPIC_NAME_INVALID;
            default -> MqttDisconnectReasonCode.UNSPECIFIED_ERROR;
        };
    }
}
