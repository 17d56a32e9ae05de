package io.tether.gateway.mqtt;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The device connections this gateway instance holds, by device id (MQTT client id). */
public final class Connections {
    private final Map<String, DeviceSession> byDevice = new ConcurrentHashMap<>();

    /** Registers a new session and returns the one it replaces (same client id: session takeover). */
    public Optional<DeviceSession> register(DeviceSession session) {
        return Optional.ofNullable(byDevice.put(session.deviceId(), session));
    }

    /** Removes the session only if it is still the registered one; a taken-over session must not remove its successor. */
    public void remove(DeviceSession session) {
        byDevice.remove(session.deviceId(), session);
    }

    public Optional<DeviceSession> get(String deviceId) {
        return Optional.ofNullable(byDevice.get(deviceId));
    }

    public int size() {
        return byDevice.size();
    }

    public Collection<DeviceSession> all() {
        return byDevice.values();
    }
}
