package io.tether.gateway.mqtt;

/**
 * Which topics a device may use. A device owns {@code devices/<its id>/#}; {@code $tether/...} carries the
 * documented signals only. Grants from the registry come with the security issue.
 */
public final class TopicPolicy {
    public static final String LIFECYCLE_TOPIC = "$tether/lifecycle";
    public static final String PUSH_TOKEN_TOPIC = "$tether/push-token";

    /** What a PUBLISH from a device is. */
    public enum PublishKind { OWN, LIFECYCLE, PUSH_TOKEN, DENIED }

    private TopicPolicy() {
    }

    public static String namespace(String deviceId) {
        return "devices/" + deviceId + "/";
    }

    /** Default topic downstream messages are delivered on. */
    public static String messagesTopic(String deviceId) {
        return namespace(deviceId) + "messages";
    }

    public static PublishKind classifyPublish(String deviceId, String topic) {
        if (topic == null || topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
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

    /** A device may subscribe to filters inside its own namespace, wildcards allowed below the id level. */
    public static boolean maySubscribe(String deviceId, String filter) {
        if (!TopicFilter.isValid(filter)) {
            return false;
        }
        String ns = namespace(deviceId);
        return filter.startsWith(ns) && filter.length() > ns.length();
    }
}
