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
        return qos(topic) >= 0;
    }

    /** The highest QoS granted by a filter matching {@code topic} (MQTT 5 §3.3.4: one delivery at the highest), -1 for none. */
    int qos(String topic) {
        int qos = -1;
        for (Map.Entry<String, MqttQoS> filter : filters.entrySet()) {
            if (TopicFilter.matches(filter.getKey(), topic)) {
                qos = Math.max(qos, filter.getValue().value());
            }
        }
        return qos;
    }

    boolean contains(String filter) {
        return filters.containsKey(filter);
    }

    int size() {
        return filters.size();
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

    List<String> all() {
        return new ArrayList<>(filters.keySet());
    }
}
