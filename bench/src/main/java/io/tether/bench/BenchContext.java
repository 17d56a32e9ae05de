package io.tether.bench;

import io.tether.bench.measure.ProcessStats;
import io.tether.bench.mqtt.ConnectSpec;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.stack.Devices.Device;
import io.tether.bench.stack.Proc;
import io.tether.bench.stack.Rest;
import io.tether.bench.stack.TetherStack;
import io.tether.contract.RedisKeys;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What every scenario works with: the running systems, the load generator's clients, the registered devices. */
public final class BenchContext {
    /** Keepalive of every benchmark connection, in seconds (the client pings every 20 s). */
    public static final int KEEPALIVE = 60;

    public final Scale scale;
    public final Path out;
    public final Path work;
    public final TetherStack tether;
    public final Proc mosquitto;
    public final int mosquittoPort;
    public final MqttClients mqtt;
    public final Rest rest;
    /** iOS devices without a push token (inbox only when not live). */
    public final List<Device> devices;
    /** iOS devices with an APNs token. */
    public final List<Device> pushDevices;
    /** Most connections one system may hold in this run: the open-file limit less a reserve. */
    public final int connectionCap;

    public BenchContext(Scale scale, Path out, Path work, TetherStack tether, Proc mosquitto, int mosquittoPort, MqttClients mqtt,
            Rest rest, List<Device> devices, List<Device> pushDevices, int connectionCap) {
        this.scale = scale;
        this.out = out;
        this.work = work;
        this.tether = tether;
        this.mosquitto = mosquitto;
        this.mosquittoPort = mosquittoPort;
        this.mqtt = mqtt;
        this.rest = rest;
        this.devices = devices;
        this.pushDevices = pushDevices;
        this.connectionCap = connectionCap;
    }

    /** MQTT 5, clean start, the device's credentials; subscribed to {@code devices/<id>/#} when {@code subscribe}. */
    public ConnectSpec tetherSpec(Device device, boolean subscribe) {
        return new ConnectSpec(tether.mqttPort(), device.id(), device.username(), device.password(), true, true, 0, KEEPALIVE,
                subscribe ? "devices/" + device.id() + "/#" : null);
    }

    /** The same client id, credentials and subscription against mosquitto. */
    public ConnectSpec mosquittoSpec(Device device, boolean subscribe) {
        return tetherSpec(device, subscribe).withPort(mosquittoPort);
    }

    /** The processes of Tether by name, for CPU and memory. */
    public Map<String, Long> tetherPids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (Proc proc : tether.processes()) {
            pids.put(proc.name(), proc.pid());
        }
        pids.put("bench", ProcessHandle.current().pid());
        return pids;
    }

    public Map<String, Long> mosquittoPids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("mosquitto", mosquitto.pid());
        pids.put("bench", ProcessHandle.current().pid());
        return pids;
    }

    public static String presenceKey(String deviceId) {
        return RedisKeys.device(deviceId).presence();
    }

    /** The open-file limit of the benchmark JVM. */
    public static long ownFileLimit() {
        return ProcessStats.openFileLimit(ProcessHandle.current().pid());
    }
}
