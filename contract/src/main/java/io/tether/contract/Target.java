package io.tether.contract;

import java.util.List;

/**
 * Whom a downstream message is for: exactly one of a device, a list of devices, a user (all of their devices), a
 * topic (the devices that subscribed to it and are granted it) or an app (all of its devices). Once a topic message
 * is expanded, each per-device copy names the device and keeps the topic it is delivered on.
 */
public record Target(String device, List<String> devices, String user, String topic, String app) {

    public Target(String device, List<String> devices, String user, String topic) {
        this(device, devices, user, topic, null);
    }

    public static Target device(String id) {
        return new Target(id, null, null, null, null);
    }

    /** One device reached through a topic: delivered on {@code topic} instead of under {@code devices/<id>/}. */
    public static Target deviceOnTopic(String id, String topic) {
        return new Target(id, null, null, topic, null);
    }

    /** The Kafka key of the downstream record: the device id for one device, so it stays in order with that device's other records. */
    public String partitionKey() {
        if (device != null) {
            return device;
        }
        if (user != null) {
            return "user:" + user;
        }
        if (topic != null) {
            return "topic:" + topic;
        }
        if (app != null) {
            return "app:" + app;
        }
        return devices == null || devices.isEmpty() ? "" : devices.get(0);
    }
}
