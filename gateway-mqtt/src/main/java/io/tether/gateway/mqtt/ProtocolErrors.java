package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import java.util.List;
import java.util.Optional;

/**
 * MQTT 5 packets that use what CONNACK declared unavailable, or that make no sense without it. MQTT 5.0 makes each a
 * Protocol Error with a reason code of its own, answered with DISCONNECT and a closed connection (§4.13), not with a
 * refusal in SUBACK or PUBACK: a Subscription Identifier in a SUBSCRIBE (§3.2.2.3.12, 0xA1), a shared subscription
 * filter (§3.2.2.3.13, 0x9E), a Topic Alias in a PUBLISH when the Topic Alias Maximum is 0, as CONNACK leaves it by
 * omitting it (§3.3.4, 0x94), an empty Topic Name without one (§3.3.2.1, 0x82), and a Subscription Identifier in a
 * PUBLISH, which only a server may send (§3.3.4, 0x82). MQTT 3.1.1 has no properties, and
 * to it {@code $share/...} is a filter like another (the topic policy refuses it). On either version, U+0000 in a topic
 * name or filter makes the packet malformed ({@link #malformedTopics}). Plain: what to answer, not how.
 */
final class ProtocolErrors {
    /** How MQTT 5 marks a shared subscription's filter: {@code $share/<share name>/<filter>}. */
    static final String SHARED_SUBSCRIPTION_PREFIX = "$share/";

    /** Why the connection ends: the DISCONNECT's reason code, the label presence gets, the Reason String. */
    record Violation(MqttDisconnectReasonCode code, String label, String text) {
    }

    private ProtocolErrors() {
    }

    static Optional<Violation> inSubscribe(MqttProperties properties, List<String> filters) {
        if (has(properties, MqttPropertyType.SUBSCRIPTION_IDENTIFIER)) {
            return Optional.of(new Violation(MqttDisconnectReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
                    "subscription-identifier", "subscription identifiers are not supported (Subscription Identifiers Available is 0)"));
        }
        return filters.stream().filter(filter -> filter != null && filter.startsWith(SHARED_SUBSCRIPTION_PREFIX)).findFirst()
                .map(filter -> new Violation(MqttDisconnectReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, "shared-subscription",
                        filter + ": shared subscriptions are not supported (Shared Subscription Available is 0)"));
    }

    static Optional<Violation> inPublish(String topic, MqttProperties properties) {
        if (has(properties, MqttPropertyType.SUBSCRIPTION_IDENTIFIER)) {
            // The server adds it to what it delivers; a client never sends one [MQTT-3.3.4-6].
            return Optional.of(new Violation(MqttDisconnectReasonCode.PROTOCOL_ERROR, "subscription-identifier",
                    "a PUBLISH from a client must not carry a Subscription Identifier"));
        }
        if (has(properties, MqttPropertyType.TOPIC_ALIAS)) {
            return Optional.of(new Violation(MqttDisconnectReasonCode.TOPIC_ALIAS_INVALID, "topic-alias",
                    "topic aliases are not supported (Topic Alias Maximum is 0)"));
        }
        if (topic == null || topic.isEmpty()) {
            return Optional.of(new Violation(MqttDisconnectReasonCode.PROTOCOL_ERROR, "protocol-error",
                    "a PUBLISH needs a topic name"));
        }
        return Optional.empty();
    }

    /**
     * U+0000 in a topic name or filter makes its packet a Malformed Packet [MQTT-1.5.4-2], on MQTT 3.1.1 as on 5: the
     * connection ends (MQTT 5: DISCONNECT 0x81), rather than the PUBLISH or filter being refused as not allowed.
     */
    static Optional<Violation> malformedTopics(List<String> topics) {
        return topics.stream().filter(topic -> topic != null && topic.indexOf('\u0000') >= 0).findFirst()
                .map(topic -> new Violation(MqttDisconnectReasonCode.MALFORMED_PACKET, "malformed",
                        "a topic name or filter must not contain U+0000"));
    }

    private static boolean has(MqttProperties properties, MqttPropertyType type) {
        // getProperties, not getProperty: Netty keeps Subscription Identifiers in a list of their own.
        return properties != null && !properties.getProperties(type.value()).isEmpty();
    }
}
