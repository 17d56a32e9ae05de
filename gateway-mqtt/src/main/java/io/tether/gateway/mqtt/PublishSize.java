package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The size on the wire of an MQTT PUBLISH, to honour the client's Maximum Packet Size (MQTT 5 §3.1.2.11.4: a packet
 * too large for the client is not sent). Covers the properties a delivery carries.
 */
final class PublishSize {
    private PublishSize() {
    }

    /** Bytes of the whole packet: fixed header, topic, packet id (QoS above 0), properties (MQTT 5) and payload. */
    static long of(String topic, int payloadBytes, boolean withPacketId, MqttProperties properties, boolean mqtt5) {
        long remaining = 2L + utf8(topic) + (withPacketId ? 2 : 0) + payloadBytes;
        if (mqtt5) {
            long props = properties(properties);
            remaining += varIntBytes(props) + props;
        }
        return 1 + varIntBytes(remaining) + remaining;
    }

    static long properties(MqttProperties properties) {
        long total = 0;
        for (MqttProperties.MqttProperty<?> property : properties.listAll()) {
            Object value = property.value();
            if (value instanceof List<?> pairs) {
                for (Object pair : pairs) {
                    total += pair((MqttProperties.StringPair) pair);
                }
            } else if (value instanceof MqttProperties.StringPair pair) {
                total += pair(pair);
            } else if (value instanceof String text) {
                total += 1 + 2 + utf8(text);
            } else if (value instanceof byte[] bytes) {
                total += 1 + 2 + bytes.length;
            } else {
                total += 1 + integerBytes(property.propertyId());
            }
        }
        return total;
    }

    private static long pair(MqttProperties.StringPair pair) {
        return 1 + 2 + utf8(pair.key) + 2 + utf8(pair.value);
    }

    private static int integerBytes(int id) {
        if (id == MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value() || id == MqttPropertyType.SESSION_EXPIRY_INTERVAL.value()
                || id == MqttPropertyType.WILL_DELAY_INTERVAL.value() || id == MqttPropertyType.MAXIMUM_PACKET_SIZE.value()) {
            return 4;
        }
        if (id == MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value()) {
            return 4; // a variable byte integer of at most 4 bytes: counted at its largest
        }
        if (id == MqttPropertyType.TOPIC_ALIAS.value() || id == MqttPropertyType.RECEIVE_MAXIMUM.value()
                || id == MqttPropertyType.SERVER_KEEP_ALIVE.value() || id == MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value()) {
            return 2;
        }
        return 1;
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    static int varIntBytes(long value) {
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }
}
