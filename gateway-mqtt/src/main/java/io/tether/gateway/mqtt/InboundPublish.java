package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import org.jboss.logging.Logger;

/**
 * One PUBLISH from a device and how to answer it (Hono's MqttContext): the one place where the answers of MQTT 3.1.1
 * and 5 differ. QoS 0 is never answered; QoS 1 gets PUBACK. A refusal is a PUBACK reason code with a Reason String on
 * MQTT 5 QoS 1, a DISCONNECT with the matching reason on MQTT 5 QoS 0 (or, when declined, nothing), and a closed
 * socket on MQTT 3.1.1 (which has no way to refuse a PUBLISH). QoS 2 never gets here: {@link Upstream} refuses it first.
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

    boolean isRetain() {
        return message.isRetain();
    }

    MqttProperties properties() {
        return message.properties();
    }

    /** Taken: the record is durable (QoS 1 PUBACK; nothing for QoS 0). */
    void acknowledge() {
        if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE && connection.answerable()) {
            connection.endpoint().publishAcknowledge(message.messageId());
        }
    }

    void refuse(MqttPubAckReasonCode code, String why) {
        LOG.debugf("refusing publish of %s on %s: %s", connection.endpoint().clientIdentifier(), message.topicName(), why);
        if (!connection.answerable()) {
            return;
        }
        if (connection.isMqtt5() && message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            connection.endpoint().publishAcknowledge(message.messageId(), code, connection.ackReason(why));
        } else if (connection.isMqtt5()) {
            connection.disconnect(disconnectReason(code), label(code), why);
        } else {
            connection.closeReason("refused");
            connection.endpoint().close();
        }
    }

    /**
     * A PUBLISH the client was entitled to send but the gateway does not take (e.g. a payload above its limit, within the
     * Maximum Packet Size): MQTT 5 QoS 1 gets PUBACK {@code code} with {@code why}, MQTT 5 QoS 0 is dropped (at most
     * once allows it), MQTT 3.1.1 a closed socket ({@code reason} for presence).
     */
    void decline(MqttPubAckReasonCode code, String reason, String why) {
        LOG.debugf("declining publish of %s on %s: %s", connection.endpoint().clientIdentifier(), message.topicName(), why);
        if (!connection.answerable()) {
            return;
        }
        if (!connection.isMqtt5()) {
            connection.closeReason(reason);
            connection.endpoint().close();
        } else if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            connection.endpoint().publishAcknowledge(message.messageId(), code, connection.ackReason(why));
        }
    }

    /** A PUBLISH this gateway cannot take at all: MQTT 5 DISCONNECT with {@code code}, MQTT 3.1.1 a closed socket. */
    void refuseConnection(MqttDisconnectReasonCode code, String reason, String why) {
        LOG.debugf("disconnecting %s for a publish on %s: %s", connection.endpoint().clientIdentifier(), message.topicName(), why);
        connection.disconnect(code, reason, why);
    }

    private static String label(MqttPubAckReasonCode code) {
        return "refused-" + code.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
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
