package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.tether.contract.Headers;
import io.tether.contract.MessageProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and builds MQTT 5 properties (absent on MQTT 3.1.1 connections). */
final class MqttProps {
    private MqttProps() {
    }

    /** User properties in order, repeated names kept. */
    static List<MessageProperties.UserProperty> userProperties(MqttProperties properties) {
        List<MessageProperties.UserProperty> out = new ArrayList<>();
        if (properties == null) {
            return out;
        }
        for (MqttProperties.MqttProperty<?> property : properties.getProperties(MqttPropertyType.USER_PROPERTY.value())) {
            Object value = property.value();
            if (value instanceof MqttProperties.StringPair pair) {
                out.add(new MessageProperties.UserProperty(pair.key, pair.value));
            } else if (value instanceof List<?> pairs) {
                for (Object p : pairs) {
                    if (p instanceof MqttProperties.StringPair pair) {
                        out.add(new MessageProperties.UserProperty(pair.key, pair.value));
                    }
                }
            }
        }
        return out;
    }

    /** The first user property named {@code name}. */
    static Optional<String> userProperty(MqttProperties properties, String name) {
        return userProperties(properties).stream().filter(p -> p.name().equals(name)).map(MessageProperties.UserProperty::value).findFirst();
    }

    static Optional<String> contentType(MqttProperties properties) {
        return Optional.ofNullable((String) value(properties, MqttPropertyType.CONTENT_TYPE));
    }

    /** Whether the CONNECT names an Authentication Method (enhanced authentication). */
    static boolean hasAuthenticationMethod(MqttProperties connectProperties) {
        return value(connectProperties, MqttPropertyType.AUTHENTICATION_METHOD) != null;
    }

    /** What a device's PUBLISH carries for backends: user properties, Response Topic, Correlation Data; null for none. */
    static MessageProperties messageProperties(MqttProperties properties) {
        return MessageProperties.orNull(userProperties(properties), (String) value(properties, MqttPropertyType.RESPONSE_TOPIC),
                (byte[]) value(properties, MqttPropertyType.CORRELATION_DATA));
    }

    /** A four-byte integer property as the unsigned value it is (0xFFFFFFFF is a valid Session Expiry), or null. */
    static Long unsignedInt(MqttProperties properties, MqttPropertyType type) {
        Object value = value(properties, type);
        return value == null ? null : Integer.toUnsignedLong((Integer) value);
    }

    /** The client's Receive Maximum: how many QoS 1 deliveries it accepts at once (65535 when absent). */
    static int receiveMaximum(MqttProperties connectProperties) {
        Object value = value(connectProperties, MqttPropertyType.RECEIVE_MAXIMUM);
        return value == null ? 65_535 : (Integer) value;
    }

    /** The client's Maximum Packet Size in bytes; {@code Long.MAX_VALUE} when it set none. */
    static long maximumPacketSize(MqttProperties connectProperties) {
        Long value = unsignedInt(connectProperties, MqttPropertyType.MAXIMUM_PACKET_SIZE);
        return value == null || value == 0 ? Long.MAX_VALUE : value;
    }

    /** Request Problem Information: 0 asks for no reason strings except on CONNACK, PUBLISH and DISCONNECT. */
    static boolean problemInformationWanted(MqttProperties connectProperties) {
        Object value = value(connectProperties, MqttPropertyType.REQUEST_PROBLEM_INFORMATION);
        return value == null || (Integer) value != 0;
    }

    private static Object value(MqttProperties properties, MqttPropertyType type) {
        if (properties == null) {
            return null;
        }
        MqttProperties.MqttProperty<?> property = properties.getProperty(type.value());
        return property == null ? null : property.value();
    }

    /**
     * PUBLISH properties of a delivery: message id, the delivery's W3C trace context, content type, what the backend
     * set (user properties, Response Topic, Correlation Data) and the Message Expiry Interval (seconds left; 0: none).
     */
    static MqttProperties delivery(String messageId, String contentType, io.opentelemetry.context.Context trace, MessageProperties extra,
            long expirySeconds) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.UserProperty(Headers.MESSAGE_ID, messageId));
        MqttTracing.inject(trace, properties);
        if (extra != null) {
            extra.user().forEach(p -> properties.add(new MqttProperties.UserProperty(p.name(), p.value())));
            if (extra.responseTopic() != null) {
                properties.add(new MqttProperties.StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), extra.responseTopic()));
            }
            if (extra.correlationData() != null) {
                properties.add(new MqttProperties.BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), extra.correlationData()));
            }
        }
        if (contentType != null) {
            properties.add(new MqttProperties.StringProperty(MqttPropertyType.CONTENT_TYPE.value(), contentType));
        }
        if (expirySeconds > 0) {
            properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(),
                    (int) Math.min(expirySeconds, SessionTerms.NEVER - 1)));
        }
        return properties;
    }

    /**
     * CONNACK properties: Tether delivers with QoS 0 or 1, keeps no retained messages, has no shared subscriptions or
     * subscription identifiers, and takes no topic aliases (Topic Alias Maximum is left out: absent means 0); it
     * announces its Receive Maximum and Maximum Packet Size, and what it changed of the client's asks (Session Expiry
     * Interval, Server Keep Alive). A client that uses what is not available anyway is disconnected ({@link ProtocolErrors}).
     */
    static MqttProperties connack(int receiveMaximum, int maximumPacketSize, SessionTerms terms) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.MAXIMUM_QOS.value(), 1));
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 0));
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), receiveMaximum));
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), maximumPacketSize));
        if (terms.expiryAnnounced()) {
            properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(),
                    (int) terms.expiry().toSeconds()));
        }
        if (terms.keepAliveCapped()) {
            properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value(), terms.keepAliveSeconds()));
        }
        return properties;
    }

    /** A Reason String (MQTT 5), for a refusal a developer should be able to read. */
    static MqttProperties reason(String text) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(MqttPropertyType.REASON_STRING.value(), text));
        return properties;
    }
}
