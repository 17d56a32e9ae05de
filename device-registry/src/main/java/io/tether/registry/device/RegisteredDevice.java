package io.tether.registry.device;

/** A device just registered, with the MQTT password that exists only in this answer. */
public record RegisteredDevice(Device device, String password) {

    @Override
    public String toString() {
        return "RegisteredDevice[device=" + device.id() + ", password=***]";
    }
}
