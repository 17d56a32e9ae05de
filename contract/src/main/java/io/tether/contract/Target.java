package io.tether.contract;

import java.util.List;

/**
 * Whom a downstream message is for: exactly one of a device, a list of devices, a user (all of their
 * devices) or a topic (all devices subscribed or granted).
 */
public record Target(String device, List<String> devices, String user, String topic) {

    public static Target device(String id) {
        return new Target(id, null, null, null);
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
        return devices == null || devices.isEmpty() ? "" : devices.get(0);
    }
}
