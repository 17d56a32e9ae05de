package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.Scale;
import io.tether.bench.measure.CpuMeter;
import io.tether.bench.measure.JitWarmup;
import io.tether.bench.measure.Latency;
import io.tether.bench.measure.Pause;
import io.tether.bench.mqtt.ConnectSpec;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.mqtt.MqttConn;
import io.tether.bench.report.Fmt;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.stack.Devices.Device;
import io.tether.bench.stack.Mosquitto;
import io.tether.testkit.ChildProcess;
import io.tether.testkit.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 1: N devices each publish M QoS 1 messages of 256 B upstream, each keeping a window of publishes awaiting
 * PUBACK. Tether answers PUBACK once Kafka has the record (acks=all); mosquitto once it has the message in memory, and
 * a second mosquitto with persistence on also keeps every message for an offline backend session and writes its
 * database to disk every second: durability compared like with like as far as mosquitto allows.
 */
public final class UpstreamScenario implements Scenario {
    private static final String BACKEND_FILTER = "devices/+/telemetry";
    /** The persistent mosquitto saves every second: its CPU is read until the save after the last message is done. */
    private static final Duration AUTOSAVE = Duration.ofMillis(1500);

    /** One system's measurement; {@code pids} names the processes whose CPU counts as the system's. */
    record Run(String system, long messages, double seconds, Latency.Summary latency, CpuMeter.Use cpu, List<String> processes,
            Warmup warmup) {
        static Run none(String system) {
            return new Run(system, 0, Double.NaN, new Latency().summary(), null, List.of(), null);
        }

        double rate() {
            return messages / seconds;
        }

        double micros(List<String> names) {
            return cpu == null ? Double.NaN : cpu.sum(names) / messages * 1e6;
        }

        double systemMicros() {
            return micros(processes);
        }
    }

    @Override
    public String id() {
        return "1";
    }

    @Override
    public String title() {
        return "Upstream: QoS 1 publish throughput, PUBACK latency, CPU per message";
    }

    @Override
    public String description() {
        return "N devices publish QoS 1 messages upstream, each keeping a window of publishes awaiting PUBACK. Tether answers "
                + "PUBACK once the record is in Kafka (acks=all); mosquitto once the message is in its memory; mosquitto with "
                + "persistence on keeps each message queued for an offline backend session and saves its database every second.";
    }

    @Override
    public String parameters(Scale s, int cap) {
        return s.upPublishers() + " publishers × " + s.upMessages() + " messages (after a warm-up of at least "
                + s.upWarmupTime().toSeconds() + " s in parts of " + s.upWarmup() + " each), "
                + s.payloadBytes() + " B, window " + s.upWindow() + ", at most " + s.upDeadline().toSeconds() + " s";
    }

    @Override
    public int devices(Scale s, int cap) {
        return s.upPublishers() + 1; // + the backend session of the persistent mosquitto
    }

    @Override
    public void run(BenchContext ctx, ScenarioResult r) throws Exception {
        List<Device> publishers = ctx.devices.subList(0, ctx.scale.upPublishers());
        Sides.Both<List<Run>> both = Sides.run(ctx, id(), r, "mosquitto", () -> List.of(measure(ctx, "Tether",
                publishers.stream().map(d -> ctx.tetherSpec(d, false)).toList(), ctx.tetherPids(),
                List.copyOf(ctx.tether.pids().keySet()), Duration.ZERO, Step.NONE)), () -> mosquittoRuns(ctx, r, publishers),
                List.of(Run.none("mosquitto"), Run.none("mosquitto, persistence on")));
        UpstreamReport.write(ctx, r, both.tether().get(0), both.peer().get(0), both.peer().get(1));
    }

    /** mosquitto in memory, then (once it is idle) mosquitto with persistence on, started for this phase alone. */
    private static List<Run> mosquittoRuns(BenchContext ctx, ScenarioResult r, List<Device> publishers) throws Exception {
        Run memory = measure(ctx, "mosquitto", publishers.stream().map(d -> ctx.mosquittoSpec(d, false)).toList(),
                ctx.mosquittoPids(), List.of("mosquitto"), Duration.ZERO, Step.NONE);
        Path dir = ctx.work.resolve("mosquitto-persistent");
        int port = Ports.free();
        try (ChildProcess persistent = Mosquitto.start(dir, port, ctx.mosquittoUsers, true)) {
            Device backend = ctx.devices.get(publishers.size());
            ctx.quiet(r, "mosquitto's persistent phase");
            Map<String, Long> pids = new LinkedHashMap<>();
            pids.put(persistent.name(), persistent.pid());
            pids.put("bench", ProcessHandle.current().pid());
            // The backend session begins after the warm-up: its queue, which mosquitto saves every second, holds only
            // the measured messages.
            Run kept = measure(ctx, "mosquitto, persistence on", publishers.stream().map(d -> ctx.mosquittoSpec(d, false)
                    .withPort(port)).toList(), pids, List.of(persistent.name()), AUTOSAVE, () -> {
                        MqttClients.Bulk session = Support.connectAllOrFail(ctx, "mosquitto backend session", List.of(
                                ctx.mosquittoSpec(backend, false).withPort(port).withSubscription(BACKEND_FILTER)
                                        .withSession(true, 86_400)), 1, 2, MqttConn.IGNORE);
                        // The session stays: every telemetry message is queued for it.
                        MqttClients.disconnectAll(session.connected());
                    });
            r.note("mosquitto with persistence on: its database file was " + Fmt.bytes(size(dir.resolve("mosquitto.db")))
                    + " after the measured part (the messages queued for the backend session " + BACKEND_FILTER + "); its CPU "
                    + "is read until " + AUTOSAVE.toMillis() + " ms after the last PUBACK, so the save of the last messages counts.");
            return List.of(memory, kept);
        }
    }

    /**
     * Warms up, runs {@code beforeMeasuring}, publishes the load and reads the CPU of {@code pids} until {@code settle}
     * after the last PUBACK.
     */
    private static Run measure(BenchContext ctx, String system, List<ConnectSpec> specs, Map<String, Long> pids,
            List<String> processes, Duration settle, Step beforeMeasuring) throws Exception {
        Scale s = ctx.scale;
        MqttClients.Bulk bulk = Support.connectAllOrFail(ctx, system + " publishers", specs, s.connectConcurrency(), 2,
                MqttConn.IGNORE);
        List<MqttConn> conns = bulk.connected();
        try {
            Warmup warmup = warmUp(ctx, system, conns, pids, processes);
            beforeMeasuring.run();
            Latency latency = new Latency();
            CpuMeter meter = CpuMeter.start(pids);
            long t0 = System.nanoTime();
            UpstreamLoad.publishAll(conns, s.upMessages(), s.upWindow(), s.payloadBytes(), latency, system, s.upDeadline());
            double seconds = (System.nanoTime() - t0) / 1e9;
            Pause.of(settle);
            CpuMeter.Use cpu = meter.stop();
            System.out.printf("bench: 1 upstream %-26s %,d msg in %.1f s = %,.0f msg/s, p99 %.2f ms%n", system,
                    latency.count(), seconds, latency.count() / seconds, latency.summary().p99());
            return new Run(system, latency.count(), seconds, latency.summary(), cpu, processes, warmup);
        } finally {
            MqttClients.disconnectAll(conns);
        }
    }

    /**
     * Parts of {@link Scale#upWarmup} messages per publisher under the warm-up rule of scenarios 3 and 4
     * ({@link JitWarmup}, least time {@link Scale#upWarmupTime}): a gateway in production has compiled its upstream path
     * long ago. mosquitto has no JIT and warms for the least time.
     */
    private static Warmup warmUp(BenchContext ctx, String system, List<MqttConn> conns, Map<String, Long> pids,
            List<String> processes) throws InterruptedException {
        Scale s = ctx.scale;
        JitWarmup rule = LiveLadder.warmupRule(s.upWarmupTime());
        long t0 = System.nanoTime();
        double jitCores;
        int parts = 0;
        do {
            CpuMeter meter = CpuMeter.start(pids);
            UpstreamLoad.publishAll(conns, s.upWarmup(), s.upWindow(), s.payloadBytes(), null, system + " warm-up",
                    s.upDeadline());
            CpuMeter.Use use = meter.stop();
            jitCores = use.jitOf(processes) / use.elapsed();
            parts++;
        } while (rule.keepWarming(System.nanoTime() - t0, jitCores));
        Warmup done = new Warmup((System.nanoTime() - t0) / 1e9, jitCores, parts * s.upWarmup());
        System.out.printf("bench: 1 upstream %-26s warm-up %.1f s (%,d messages per publisher); JIT threads at the end "
                + "%.2f cores%n", system, done.seconds(), done.messagesPerPublisher(), jitCores);
        return done;
    }

    /** A warm-up: how long it took, its JIT compiler threads' share of a core in its last part, what it sent. */
    record Warmup(double seconds, double jitCores, int messagesPerPublisher) {
    }

    /** What runs between the warm-up and the measured part. */
    @FunctionalInterface
    private interface Step {
        Step NONE = () -> { };

        void run() throws Exception;
    }

    private static double size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
