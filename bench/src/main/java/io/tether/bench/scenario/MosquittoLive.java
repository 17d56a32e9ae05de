package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.mqtt.MqttConn;
import io.tether.bench.stack.Devices.Device;
import java.util.List;
import java.util.Map;

/**
 * Scenario 3 against mosquitto: the same receivers subscribed to their topics, each message a QoS 1 PUBLISH to the
 * device's topic from one of a few publisher connections (the backend's side).
 */
final class MosquittoLive extends LiveSystem {
    private static final int PUBLISHERS = 8;
    private static final int PUBLISH_WINDOW = 16;

    private final BenchContext ctx;
    private MqttClients.Bulk receivers;
    private MqttClients.Bulk publisherConnections;
    private List<WindowedPublisher> publishers;

    private MosquittoLive(BenchContext ctx) {
        this.ctx = ctx;
    }

    /** Connects the receivers to their topics and the publishers (devices after {@code receivers} in the pool). */
    static MosquittoLive open(BenchContext ctx, List<Device> devices) throws Exception {
        MosquittoLive live = new MosquittoLive(ctx);
        live.receivers = Support.connectAllOrFail(ctx, "mosquitto receivers", devices.stream().map(d -> ctx.mosquittoSpec(d, true))
                .toList(), ctx.scale.connectConcurrency(), 2, live.receipts);
        List<Device> backend = ctx.devices.subList(devices.size(), devices.size() + PUBLISHERS);
        live.publisherConnections = Support.connectAllOrFail(ctx, "mosquitto publishers", backend.stream()
                .map(d -> ctx.mosquittoSpec(d, false)).toList(), PUBLISHERS, 2, MqttConn.IGNORE);
        live.publishers = live.publisherConnections.connected().stream().map(c -> new WindowedPublisher(c, PUBLISH_WINDOW)).toList();
        return live;
    }

    /** Devices of the pool it uses beyond the receivers. */
    static int extraDevices() {
        return PUBLISHERS;
    }

    @Override
    String name() {
        return "mosquitto";
    }

    @Override
    String path() {
        return "publish → subscriber";
    }

    @Override
    void send(Device device, byte[] payload, long dueNanos) {
        WindowedPublisher publisher = publishers.get(Math.floorMod(device.id().hashCode(), publishers.size()));
        publisher.send("devices/" + device.id() + "/messages", payload, dueNanos,
                code -> answered(dueNanos, code == 0 ? null : "PUBACK reason " + code));
    }

    @Override
    Map<String, Long> pids() {
        return ctx.mosquittoPids();
    }

    @Override
    List<String> processes() {
        return List.of("mosquitto");
    }

    @Override
    public void close() {
        if (publisherConnections != null) {
            MqttClients.disconnectAll(publisherConnections.connected());
        }
        if (receivers != null) {
            MqttClients.disconnectAll(receivers.connected());
        }
    }
}
