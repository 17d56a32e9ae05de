package io.tether.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.Arrays;

/**
 * What one connection subscribed to, with the QoS granted per filter. Deliveries go only to topics a filter
 * matches; the connection counts as receiving (fanout may hand it messages) once any filter reaches into the device's
 * own namespace ({@code devices/<id>/...}), not only its default {@code messages} subtopic. Event-loop confined.
 * <p>
 * Every connection holds one for as long as it is open, and nearly all have one or two filters: two small arrays
 * rather than a map (its table, entries and views), and the namespace's strings made when a subscription changes
 * rather than kept.
 */
final class SubscriptionSet {
    private static final String[] NONE = new String[0];
    private static final MqttQoS[] NO_QOS = new MqttQoS[0];
    private final String deviceId;
    private String[] filters = NONE;
    private MqttQoS[] granted = NO_QOS;
    private int size;

    SubscriptionSet(String deviceId) {
        this.deviceId = deviceId;
    }

    /** Adds a filter, or gives one already there its new QoS (it keeps its place). */
    void add(String filter, MqttQoS qos) {
        int at = indexOf(filter);
        if (at >= 0) {
            granted[at] = qos;
            return;
        }
        if (size == filters.length) {
            filters = Arrays.copyOf(filters, size + 1);
            granted = Arrays.copyOf(granted, size + 1);
        }
        filters[size] = filter;
        granted[size] = qos;
        size++;
    }

    void remove(String filter) {
        int at = indexOf(filter);
        if (at < 0) {
            return;
        }
        System.arraycopy(filters, at + 1, filters, at, size - at - 1);
        System.arraycopy(granted, at + 1, granted, at, size - at - 1);
        size--;
        filters[size] = null;
        granted[size] = null;
    }

    boolean matches(String topic) {
        return qos(topic) >= 0;
    }

    /** The highest QoS granted by a filter matching {@code topic} (MQTT 5 §3.3.4: one delivery at the highest), -1 for none. */
    int qos(String topic) {
        int qos = -1;
        for (int i = 0; i < size; i++) {
            if (TopicFilter.matches(filters[i], topic)) {
                qos = Math.max(qos, granted[i].value());
            }
        }
        return qos;
    }

    boolean contains(String filter) {
        return indexOf(filter) >= 0;
    }

    int size() {
        return size;
    }

    /** True once a filter reaches the device's own namespace. */
    boolean receives() {
        String namespace = TopicPolicy.namespace(deviceId);
        String messagesTopic = TopicPolicy.messagesTopic(deviceId);
        for (int i = 0; i < size; i++) {
            if (filters[i].startsWith(namespace) || TopicFilter.matches(filters[i], messagesTopic)) {
                return true;
            }
        }
        return false;
    }

    private int indexOf(String filter) {
        for (int i = 0; i < size; i++) {
            if (filters[i].equals(filter)) {
                return i;
            }
        }
        return -1;
    }
}
