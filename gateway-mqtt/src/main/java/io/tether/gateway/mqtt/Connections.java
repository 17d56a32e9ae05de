package io.tether.gateway.mqtt;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import io.tether.gateway.store.GatewayStore;
import org.jboss.logging.Logger;

/**
 * The device connections this gateway instance holds, by device id (MQTT client id), mirrored into this
 * instance's device set in Redis so that fanout can find them if the instance dies.
 */
public final class Connections {
    private static final Logger LOG = Logger.getLogger(Connections.class);

    private final Map<String, DeviceSession> byDevice = new ConcurrentHashMap<>();
    private final GatewayStore store;
    private final String gatewayId;

    public Connections(GatewayStore store, String gatewayId) {
        this.store = store;
        this.gatewayId = gatewayId;
    }

    /**
     * Registers a new session and returns the older one it replaces (same client id: session takeover). A session older
     * than the one held (two CONNECTs of the device answered out of order) is not registered: {@link #holds} then says
     * so, and that connection is the one taken over.
     */
    public Optional<DeviceSession> register(DeviceSession session) {
        DeviceSession[] replaced = new DeviceSession[1];
        byDevice.compute(session.deviceId(), (id, held) -> {
            if (held != null && held.epoch() > session.epoch()) {
                return held;
            }
            replaced[0] = held;
            return session;
        });
        return Optional.ofNullable(replaced[0]);
    }

    /** Whether {@code session} is the device's registered session here (not replaced, not outdated). */
    public boolean holds(DeviceSession session) {
        return byDevice.get(session.deviceId()) == session;
    }

    /** Completes once the device is in this instance's device set (at CONNECT, and again when a device reasserts). */
    public CompletionStage<Void> announce(DeviceSession session) {
        return store.addDevice(gatewayId, session.deviceId());
    }

    /** Removes the session only if it is still the registered one; a taken-over session must not remove its successor. */
    public void remove(DeviceSession session) {
        if (unregister(session)) {
            dropFromDeviceSet(session.deviceId());
        }
    }

    /**
     * Removes the session from the table only, if it is still the registered one: its device stays in the device set,
     * so that fanout's reaper reports it gone if nothing else does (see {@link #dropFromDeviceSet}).
     */
    public boolean unregister(DeviceSession session) {
        return byDevice.remove(session.deviceId(), session);
    }

    /** Takes the device out of this instance's device set, unless a session of it is registered here again. */
    public void dropFromDeviceSet(String deviceId) {
        if (byDevice.containsKey(deviceId)) {
            return;
        }
        store.removeDevice(gatewayId, deviceId).exceptionally(error -> {
            LOG.debugf("could not drop %s from the device set: %s", deviceId, error.getMessage());
            return null;
        });
    }

    /**
     * A connection of {@code deviceId} with epoch {@code newerEpoch} was accepted on another gateway: the one held here,
     * if it is older, gets DISCONNECT 0x8E. True when one was taken over.
     */
    public boolean takenOverElsewhere(String deviceId, long newerEpoch) {
        DeviceSession held = byDevice.get(deviceId);
        if (held == null || held.epoch() >= newerEpoch) {
            return false;
        }
        held.takeOver();
        return true;
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
