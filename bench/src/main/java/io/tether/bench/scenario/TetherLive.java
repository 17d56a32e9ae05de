package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.measure.KafkaRequests;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.stack.Devices.Device;
import io.tether.bench.stack.Rest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Scenario 3 against Tether: receivers connected and LIVE, each message a REST {@code POST /v1/messages} to one device. */
final class TetherLive extends LiveSystem {
    private final BenchContext ctx;
    private MqttClients.Bulk receivers;
    private KafkaRequests kafka;

    private TetherLive(BenchContext ctx) {
        this.ctx = ctx;
    }

    /** Connects and subscribes the receivers and waits until Tether has every one of them LIVE. */
    static TetherLive open(BenchContext ctx, List<Device> devices) throws Exception {
        TetherLive live = new TetherLive(ctx);
        live.receivers = Support.connectAllOrFail(ctx, "Tether receivers", devices.stream().map(d -> ctx.tetherSpec(d, true)).toList(),
                ctx.scale.connectConcurrency(), 2, live.receipts);
        if (Double.isNaN(Support.awaitLive(ctx, devices, null, Duration.ofSeconds(60)))) {
            live.close();
            throw new IllegalStateException("not every receiver became LIVE within 60 s");
        }
        // Before the warm-up: starting the broker's JMX agent is work of its own, not a step's.
        live.kafka = KafkaRequests.attach(ctx.tether.pids().get("kafka"));
        return live;
    }

    @Override
    String name() {
        return "Tether";
    }

    @Override
    String path() {
        return "REST → device";
    }

    @Override
    void send(Device device, byte[] payload, long dueNanos) {
        String body = "{\"to\":{\"device\":\"" + device.id() + "\"},\"payload\":"
                + Rest.quote(new String(payload, StandardCharsets.US_ASCII)) + "}";
        ctx.rest.post(ctx.tether.fanoutPort(), "/v1/messages", body).whenComplete((a, e) -> answered(dueNanos,
                e != null ? e.getClass().getSimpleName() + ": " + e.getMessage() : a.status() == 202 ? null : "HTTP " + a.status()));
    }

    @Override
    Map<String, Long> pids() {
        return ctx.tetherPids();
    }

    @Override
    List<String> processes() {
        return List.copyOf(ctx.tether.pids().keySet());
    }

    @Override
    int redisPort() {
        return ctx.tether.redisPort();
    }

    @Override
    Map<String, Long> kafkaRequests() {
        return kafka == null ? Map.of() : kafka.snapshot();
    }

    @Override
    public void close() {
        if (kafka != null) {
            kafka.close();
        }
        if (receivers != null) {
            MqttClients.disconnectAll(receivers.connected());
        }
    }
}
