package io.tether.bench;

import io.tether.bench.measure.ProcessStats;
import io.tether.bench.measure.Quiet;
import io.tether.bench.mqtt.ConnectSpec;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.stack.Devices.Device;
import io.tether.bench.stack.JvmFlags;
import io.tether.bench.stack.Rest;
import io.tether.bench.stack.TetherStack;
import io.tether.contract.RedisKeys;
import io.tether.testkit.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What every scenario works with: the running systems, the load generator's clients, the registered devices. */
public final class BenchContext {
    /** Keepalive of every benchmark connection, in seconds (the client pings every 20 s). */
    public static final int KEEPALIVE = 60;
    /** Tether idles at about a tenth of a core (heartbeats, Kafka's own timers); above a third it is still working. */
    private static final double TETHER_IDLE_CORES = 0.35;
    private static final double PEER_IDLE_CORES = 0.05;
    private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(30);

    public final Scale scale;
    public final Path work;
    public final TetherStack tether;
    /** mosquitto as the peer; null when the run has no peer ({@code --no-peer}). */
    public final ChildProcess mosquitto;
    public final int mosquittoPort;
    /** The device credentials mosquitto knows (user name → password), for another mosquitto instance. */
    public final Map<String, String> mosquittoUsers;
    public final MqttClients mqtt;
    public final Rest rest;
    /** iOS devices without a push token (inbox only when not live). */
    public final List<Device> devices;
    /** iOS devices with an APNs token. */
    public final List<Device> pushDevices;
    /** Most connections one system may hold in this run: the open-file limit less a reserve. */
    public final int connectionCap;
    public final JvmFlags jvm;
    public final RunOrder order;

    public BenchContext(Scale scale, Path work, TetherStack tether, ChildProcess mosquitto, int mosquittoPort,
            Map<String, String> mosquittoUsers, MqttClients mqtt, Rest rest, List<Device> devices, List<Device> pushDevices,
            int connectionCap, JvmFlags jvm, RunOrder order) {
        this.scale = scale;
        this.work = work;
        this.tether = tether;
        this.mosquitto = mosquitto;
        this.mosquittoPort = mosquittoPort;
        this.mosquittoUsers = mosquittoUsers;
        this.mqtt = mqtt;
        this.rest = rest;
        this.devices = devices;
        this.pushDevices = pushDevices;
        this.connectionCap = connectionCap;
        this.jvm = jvm;
        this.order = order;
    }

    public boolean hasPeer() {
        return mosquitto != null;
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

    /** Tether's processes by name, and the load generator as "bench". */
    public Map<String, Long> tetherPids() {
        Map<String, Long> pids = new LinkedHashMap<>(tether.pids());
        pids.put("bench", ProcessHandle.current().pid());
        return pids;
    }

    /** mosquitto, and the load generator as "bench". */
    public Map<String, Long> mosquittoPids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("mosquitto", mosquitto.pid());
        pids.put("bench", ProcessHandle.current().pid());
        return pids;
    }

    /**
     * Waits (up to 30 s) until Tether and the peer are both idle, before a phase {@code what} starts; notes in
     * {@code result} when they did not get there.
     */
    public void quiet(ScenarioResult result, String what) {
        List<Quiet.Group> groups = new java.util.ArrayList<>(List.of(new Quiet.Group("Tether", tether.pids(), TETHER_IDLE_CORES)));
        if (hasPeer()) {
            groups.add(new Quiet.Group("mosquitto", Map.of("mosquitto", mosquitto.pid()), PEER_IDLE_CORES));
        }
        Quiet.Outcome outcome = Quiet.await(groups, scale.quietWindow(), QUIET_TIMEOUT);
        if (!outcome.quiet()) {
            result.note(String.format("Before %s the systems were not idle after %.0f s (cores used in the last window: %s; "
                    + "idle means Tether ≤ %.2f, mosquitto ≤ %.2f).", what, outcome.seconds(), outcome.cores(), TETHER_IDLE_CORES,
                    PEER_IDLE_CORES));
        }
    }

    public static String presenceKey(String deviceId) {
        return RedisKeys.device(deviceId).presence();
    }

    /** The open-file limit of the benchmark JVM. */
    public static long ownFileLimit() {
        return ProcessStats.openFileLimit(ProcessHandle.current().pid());
    }
}
