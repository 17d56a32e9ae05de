package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.util.List;
import java.util.Optional;

/** Reads and builds MQTT 5 properties (absent on MQTT 3.1.1 connections). */
final class MqttProps {
    private MqttProps() {
    }

    /** The first user property named {@code name}. */
    static Optional<String> userProperty(MqttProperties properties, String name) {
        if (properties == null) {
            return Optional.empty();
        }
        for (MqttProperties.MqttProperty<?> property : properties.getProperties(MqttPropertyType.USER_PROPERTY.value())) {
            Object value = property.value();
            if (value instanceof MqttProperties.StringPair pair && pair.key.equals(name)) {
                return Optional.of(pair.value);
            }
            if (value instanceof List<?> pairs) {
                for (Object p : pairs) {
                    if (p instanceof MqttProperties.StringPair pair && pair.key.equals(name)) {
                        return Optional.of(pair.value);
                    }
                }
            }
        }
        return Optional.empty();
    }

    static Optional<String> contentType(MqttProperties properties) {
        if (properties == null) {
            return Optional.empty();
        }
        MqttProperties.MqttProperty<?> property = properties.getProperty(MqttPropertyType.CONTENT_TYPE.value());
        return property == null ? Optional.empty() : Optional.of((String) property.value());
    }

    /** PUBLISH properties of a delivery: message id, content type and the delivery's W3C trace context. */
    static MqttProperties delivery(String messageId, String contentType, io.opentelemetry.context.Context trace) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.UserProperty(io.tether.contract.Headers.MESSAGE_ID, messageId));
        MqttTracing.inject(trace, properties);
        if (contentType != null) {
            properties.add(new MqttProperties.StringProperty(MqttPropertyType.CONTENT_TYPE.value(), contentType));
        }
        return properties;
    }

    /** CONNACK properties: Tether delivers with QoS 0 or 1 and keeps no retained messages. */
    static MqttProperties connack(int receiveMaximum) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.MAXIMUM_QOS.value(), 1));
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), receiveMaximum));
        return properties;
    }

    /** The client's Receive Maximum: how many QoS 1 deliveries it accepts at once (65535 when absent). */
    static int receiveMaximum(MqttProperties connectProperties) {
        if (connectProperties == null) {
            return 65_535;
        }
        MqttProperties.MqttProperty<?> property = connectProperties.getProperty(MqttPropertyType.RECEIVE_MAXIMUM.value());
        return property == null ? 65_535 : (Integer) property.value();
    }
}
