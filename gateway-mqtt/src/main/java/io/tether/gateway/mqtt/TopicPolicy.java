package io.tether.gateway.mqtt;

/**
 * Which topics a device may use. A device owns {@code devices/<its id>/#}; beyond it only what the registry
 * granted to it or its user; {@code $tether/...} carries the documented signals only.
 */
public final class TopicPolicy {
    public static final String LIFECYCLE_TOPIC = "$tether/lifecycle";
    public static final String PUSH_TOKEN_TOPIC = "$tether/push-token";

    /** What a PUBLISH from a device is. */
    public enum PublishKind { OWN, GRANTED, LIFECYCLE, PUSH_TOKEN, DENIED }

    private TopicPolicy() {
    }

    public static String namespace(String deviceId) {
        return "devices/" + deviceId + "/";
    }

    /** Default topic downstream messages are delivered on. */
    public static String messagesTopic(String deviceId) {
        return namespace(deviceId) + "messages";
    }

    public static PublishKind classifyPublish(String deviceId, String topic, Grants grants) {
        PublishKind kind = classifyPublish(deviceId, topic);
        // classifyPublish denies null, empty and wildcard topics, so only a plain topic name reaches the grants
        return kind == PublishKind.DENIED && topic != null && !topic.isEmpty() && !topic.startsWith("$") && !topic.contains("+")
                && !topic.contains("#") && topic.indexOf('\u0000') < 0 && grants.allowsPublish(topic) ? PublishKind.GRANTED : kind;
    }

    public static PublishKind classifyPublish(String deviceId, String topic) {
        // U+0000 is not allowed in a topic [MQTT-1.5.4-2]: it would reach Kafka headers and Redis keys.
        if (topic == null || topic.isEmpty() || topic.contains("+") || topic.contains("#") || topic.indexOf('\u0000') >= 0) {
            return PublishKind.DENIED;
        }
        if (topic.equals(LIFECYCLE_TOPIC)) {
            return PublishKind.LIFECYCLE;
        }
        if (topic.equals(PUSH_TOKEN_TOPIC)) {
            return PublishKind.PUSH_TOKEN;
        }
        String ns = namespace(deviceId);
        return topic.startsWith(ns) && topic.length() > ns.length() ? PublishKind.OWN : PublishKind.DENIED;
    }

    /** Its own namespace, or inside a grant. */
    public static boolean maySubscribe(String deviceId, String filter, Grants grants) {
        return maySubscribe(deviceId, filter) || (TopicFilter.isValid(filter) && !filter.startsWith("$") && grants.allowsSubscribe(filter));
    }

    /** A device may subscribe to filters inside its own namespace, wildcards allowed below the id level. */
    public static boolean maySubscribe(String deviceId, String filter) {
        if (!TopicFilter.isValid(filter)) {
            return false;
        }
        String ns = namespace(deviceId);
        return filter.startsWith(ns) && filter.length() > ns.length();
    }
}
