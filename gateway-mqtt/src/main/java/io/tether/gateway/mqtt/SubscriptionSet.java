package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one connection subscribed to, with the QoS granted per filter. Deliveries go only to topics a filter
 * matches; the connection counts as receiving (fanout may hand it messages) once any filter reaches into the device's
 * own namespace ({@code devices/<id>/...}), not only its default {@code messages} subtopic. Event-loop confined.
 */
final class SubscriptionSet {
    private final String namespace;
    private final String messagesTopic;
    private final Map<String, MqttQoS> filters = new LinkedHashMap<>(4);

    SubscriptionSet(String deviceId) {
        this.namespace = TopicPolicy.namespace(deviceId);
        this.messagesTopic = TopicPolicy.messagesTopic(deviceId);
    }

    void add(String filter, MqttQoS granted) {
        filters.put(filter, granted);
    }

    void remove(String filter) {
        filters.remove(filter);
    }

    boolean matches(String topic) {
        for (String filter : filters.keySet()) {
            if (TopicFilter.matches(filter, topic)) {
                return true;
            }
        }
        return false;
    }

    /** True once a filter reaches the device's own namespace. */
    boolean receives() {
        for (String filter : filters.keySet()) {
            if (filter.startsWith(namespace) || TopicFilter.matches(filter, messagesTopic)) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return filters.size();
    }

    boolean contains(String filter) {
        return filters.containsKey(filter);
    }

    List<String> all() {
        return new ArrayList<>(filters.keySet());
    }
}
