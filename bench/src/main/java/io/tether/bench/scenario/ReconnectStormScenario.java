package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.Scale;
import io.tether.bench.measure.CpuMeter;
import io.tether.bench.measure.NetStat;
import io.tether.bench.measure.Pause;
import io.tether.bench.mqtt.ConnectSpec;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.mqtt.MqttConn;
import io.tether.bench.report.Chart;
import io.tether.bench.report.Fmt;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.stack.Devices.Device;
import io.tether.bench.stack.Rest;
import io.tether.testkit.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 5: every connected device drops at once (TCP reset, no DISCONNECT) and reconnects at once (at most
 * {@code connectConcurrency} connects in flight, retrying after a failure like a device would). A backend keeps
 * sending to them the whole time. Measured: time until all are connected and LIVE again (Tether's presence in Redis,
 * with a newer epoch), and whether every accepted message reached its device. mosquitto, with persistent sessions
 * (QoS 1 queued while the client is away), gets the same storm.
 */
public final class ReconnectStormScenario implements Scenario {
    private static final Duration LIVE_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DRAIN = Duration.ofSeconds(90);
    private static final int RETRIES = 20;
    /** The run number in this scenario's payloads: a late redelivery of an earlier scenario's message is not counted. */
    private static final int RUN = 501;

    @Override
    public String id() {
        return "5";
    }

    @Override
    public String title() {
        return "Reconnect storm: all devices drop and reconnect";
    }

    /** One system's storm; {@code listenOverflows}: the kernel's counter over the reconnects. */
    record Storm(int devices, double connectedSeconds, double liveSeconds, long failedAttempts, long retried, long sent, long accepted,
            long received, long duplicates, double drainSeconds, String failures, double connackP99, long listenOverflows,
            CpuMeter.Use cpu) {
        static Storm none(int devices) {
            return new Storm(devices, Double.NaN, Double.NaN, 0, 0, 0, 0, 0, 0, Double.NaN, null, Double.NaN, 0, null);
        }

        long lost() {
            return accepted - received;
        }
    }

    @Override
    public String description() {
        return "All connected devices drop at once and reconnect at once while a backend keeps sending to them: time until all "
                + "are LIVE again, and whether every accepted message arrived.";
    }

    @Override
    public String parameters(Scale s, int cap) {
        return Math.min(s.stormDevices(), cap) + " devices (asked: " + s.stormDevices() + "), messages at " + s.stormRate()
                + "/s during the storm";
    }

    @Override
    public int devices(Scale s, int cap) {
        return Math.min(s.stormDevices(), cap) + 1; // + mosquitto's publisher
    }

    @Override
    public void run(BenchContext ctx, ScenarioResult r) throws Exception {
        var s = ctx.scale;
        int n = Math.min(s.stormDevices(), Math.min(ctx.connectionCap, ctx.devices.size() - 1));
        List<Device> devices = ctx.devices.subList(0, n);
        Sides.Both<Storm> both = Sides.run(ctx, id(), r, "mosquitto", () -> tether(ctx, devices),
                () -> mosquitto(ctx, devices, ctx.devices.get(n)), Storm.none(n));
        Storm tether = both.tether();
        Storm mosquitto = both.peer();

        r.headline("reconnect storm: " + Fmt.count(n) + " devices all LIVE again (s)", Fmt.num(tether.liveSeconds()),
                Fmt.num(mosquitto.connectedSeconds()) + " (all reconnected)", Fmt.ratio(tether.liveSeconds(), mosquitto.connectedSeconds()),
                "≤ 15 s");
        r.headline("reconnect storm: messages lost", Fmt.count(tether.lost()) + " of " + Fmt.count(tether.accepted()),
                Fmt.count(mosquitto.lost()) + " of " + Fmt.count(mosquitto.accepted()), "", "0");
        var t = r.table(n + " devices drop (TCP reset) and reconnect at once, at most " + s.connectConcurrency()
                + " connects in flight; messages sent to them at " + s.stormRate() + "/s from just before the drop until all are back",
                "system", "all connected (s)", "all LIVE (s)", "CONNACK p99 ms", "failed attempts (retried)", "listen overflows",
                "messages sent", "accepted", "received", "lost", "duplicates", "drain after LIVE (s)");
        ScenarioResult.row(t, "Tether", tether.connectedSeconds(), tether.liveSeconds(), tether.connackP99(),
                tether.failedAttempts() + " (" + tether.retried() + ")", tether.listenOverflows(), tether.sent(), tether.accepted(),
                tether.received(), tether.lost(), tether.duplicates(), tether.drainSeconds());
        ScenarioResult.row(t, "mosquitto (persistent sessions)", mosquitto.connectedSeconds(), "–", mosquitto.connackP99(),
                mosquitto.failedAttempts() + " (" + mosquitto.retried() + ")", mosquitto.listenOverflows(), mosquitto.sent(),
                mosquitto.accepted(), mosquitto.received(), mosquitto.lost(), mosquitto.duplicates(), mosquitto.drainSeconds());
        cpuTable(ctx, r, tether, mosquitto);
        if (tether.failures() != null) {
            r.note("Tether reconnect attempts that failed (then retried): " + tether.failures());
        }
        if (mosquitto.failures() != null) {
            r.note("mosquitto reconnect attempts that failed (then retried): " + mosquitto.failures());
        }
        r.note("All LIVE: every device's presence hash says LIVE and receiving, with an epoch newer than before the drop. "
                + "Times count from the drop. Messages to a device that is not LIVE go to its inbox (these iOS devices have no push "
                + "token) and drain on reconnect; duplicates are at-least-once redeliveries, told apart by their sequence number.");
        r.number("devices", n).number("tether.all_connected_s", tether.connectedSeconds()).number("tether.all_live_s", tether.liveSeconds())
                .number("tether.lost", tether.lost()).number("tether.accepted", tether.accepted())
                .number("tether.duplicates", tether.duplicates()).number("tether.listen_overflows", tether.listenOverflows())
                .number("mosquitto.listen_overflows", mosquitto.listenOverflows())
                .number("mosquitto.all_connected_s", mosquitto.connectedSeconds()).number("mosquitto.lost", mosquitto.lost())
                .number("mosquitto.accepted", mosquitto.accepted());
        r.chart(new Chart.Bars("s5-reconnect-storm.png", "Reconnect storm of " + Fmt.count(n) + " devices", "seconds from the drop",
                List.of("all connected", "all LIVE"), Chart.seriesOf("Tether", Support.list(tether.connectedSeconds(), tether.liveSeconds()),
                        "mosquitto", Support.list(mosquitto.connectedSeconds(), Double.NaN)), false));
    }

    /** Where the storm's CPU went: per process, with the JIT compiler threads' part (a compiling JVM is a cold one). */
    private static void cpuTable(BenchContext ctx, ScenarioResult r, Storm tether, Storm mosquitto) {
        if (tether.cpu() == null) {
            return;
        }
        List<String> names = List.copyOf(ctx.tether.pids().keySet());
        var t = r.table("CPU from the drop until every device is LIVE again (Tether) or reconnected (mosquitto), core-seconds",
                "process", "CPU s", "of which JIT compiler threads s", "cores on average");
        for (String name : names) {
            ScenarioResult.row(t, "Tether " + name, tether.cpu().of(name), tether.cpu().jitOf(List.of(name)),
                    tether.cpu().cores(List.of(name)));
            r.number("tether.cpu_s." + name, tether.cpu().of(name))
                    .number("tether.jit_cpu_s." + name, tether.cpu().jitOf(List.of(name)));
        }
        ScenarioResult.row(t, "Tether, all processes", tether.cpu().sum(names), tether.cpu().jitOf(names),
                tether.cpu().cores(names));
        ScenarioResult.row(t, "load generator (bench JVM), Tether's storm", tether.cpu().of("bench"),
                tether.cpu().jitOf(List.of("bench")), tether.cpu().cores(List.of("bench")));
        r.number("tether.cpu_s", tether.cpu().sum(names)).number("tether.jit_cpu_s", tether.cpu().jitOf(names));
        if (mosquitto.cpu() != null) {
            ScenarioResult.row(t, "mosquitto", mosquitto.cpu().of("mosquitto"), 0, mosquitto.cpu().cores(List.of("mosquitto")));
            ScenarioResult.row(t, "load generator (bench JVM), mosquitto's storm", mosquitto.cpu().of("bench"),
                    mosquitto.cpu().jitOf(List.of("bench")), mosquitto.cpu().cores(List.of("bench")));
        }
    }

    private static Storm tether(BenchContext ctx, List<Device> devices) throws Exception {
        var s = ctx.scale;
        Receipts receipts = new Receipts();
        receipts.begin(RUN, (long) s.stormRate() * 600);
        List<ConnectSpec> specs = devices.stream().map(d -> ctx.tetherSpec(d, true)).toList();
        MqttClients.Bulk first = Support.connectAllOrFail(ctx, "Tether storm devices", specs, s.connectConcurrency(), 5, receipts);
        MqttClients.Bulk second = null;
        try {
            if (Double.isNaN(Support.awaitLive(ctx, devices, null, LIVE_TIMEOUT))) {
                throw new IllegalStateException("not every storm device became LIVE before the storm");
            }
            long[] epochs = Support.epochs(ctx, devices);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            AtomicLong accepted = new AtomicLong();
            AtomicLong answered = new AtomicLong();
            Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
            Thread sender = new Thread(() -> sent.set(Paced.run(s.stormRate(), Long.MAX_VALUE, (seq, due) -> {
                Device d = devices.get((int) (seq % devices.size()));
                String payload = new String(Support.payload(Receipts.prefix(RUN, seq, due), s.payloadBytes()), StandardCharsets.US_ASCII);
                ctx.rest.post(ctx.tether.fanoutPort(), "/v1/messages", "{\"to\":{\"device\":\"" + d.id() + "\"},\"payload\":"
                        + Rest.quote(payload) + "}").whenComplete((a, e) -> {
                            answered.incrementAndGet();
                            if (e == null && a.status() == 202) {
                                accepted.incrementAndGet();
                            } else {
                                Support.count(errors, e != null ? e.getClass().getSimpleName() : "HTTP " + a.status());
                            }
                        });
            }, stop::get)), "bench-storm-sender");
            sender.start();
            Pause.of(Duration.ofMillis(500));

            CpuMeter meter = CpuMeter.start(ctx.tetherPids());
            long t0 = System.nanoTime();
            long overflows0 = NetStat.listenCounters()[0];
            List<CompletableFuture<Void>> drops = first.connected().stream().map(MqttConn::drop).toList();
            CompletableFuture.allOf(drops.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            second = ctx.mqtt.connectAll(specs, s.connectConcurrency(), RETRIES, x -> receipts).get();
            double connected = (System.nanoTime() - t0) / 1e9;
            long overflows = NetStat.listenCounters()[0] - overflows0;
            double live = Support.awaitLive(ctx, devices, epochs, LIVE_TIMEOUT);
            double liveAt = Double.isNaN(live) ? Double.NaN : (System.nanoTime() - t0) / 1e9;
            CpuMeter.Use cpu = meter.stop();
            stop.set(true);
            sender.join();
            Poll.until(Duration.ofSeconds(60), Duration.ofMillis(20), () -> answered.get() >= sent.get());
            long t1 = System.nanoTime();
            Poll.until(DRAIN, Duration.ofMillis(50), () -> receipts.received() >= accepted.get());
            double drain = (System.nanoTime() - t1) / 1e9;
            System.out.printf("bench: 5 storm    Tether    %,d devices: all connected %.1f s, all LIVE %.1f s; %,d accepted, %,d "
                    + "received, %,d duplicates%n", devices.size(), connected, liveAt, accepted.get(), receipts.received(),
                    receipts.duplicates());
            if (!errors.isEmpty()) {
                System.out.println("bench: 5 storm    Tether sends not accepted: " + Support.reasons(errors));
            }
            return new Storm(devices.size(), connected, liveAt, second.failures().values().stream().mapToLong(AtomicLong::get).sum(),
                    second.retried(), sent.get(), accepted.get(), receipts.received(), receipts.duplicates(), drain,
                    second.failures().isEmpty() ? null : Support.reasons(second.failures()), second.connackLatency().summary().p99(),
                    overflows, cpu);
        } finally {
            MqttClients.disconnectAll(first.connected());
            if (second != null) {
                MqttClients.disconnectAll(second.connected());
            }
        }
    }

    private static Storm mosquitto(BenchContext ctx, List<Device> devices, Device publisherDevice) throws Exception {
        var s = ctx.scale;
        Receipts receipts = new Receipts();
        receipts.begin(RUN, (long) s.stormRate() * 600);
        // A persistent session (expiry 1 h): mosquitto keeps the subscription and queues QoS 1 messages while the device is away.
        List<ConnectSpec> fresh = devices.stream().map(d -> ctx.mosquittoSpec(d, true).withSession(true, 3600)).toList();
        List<ConnectSpec> resume = devices.stream().map(d -> ctx.mosquittoSpec(d, true).withSession(false, 3600)).toList();
        MqttClients.Bulk first = Support.connectAllOrFail(ctx, "mosquitto storm devices", fresh, s.connectConcurrency(), 5, receipts);
        MqttClients.Bulk pub = Support.connectAllOrFail(ctx, "mosquitto storm publisher", List.of(ctx.mosquittoSpec(publisherDevice,
                false)), 1, 2, MqttConn.IGNORE);
        MqttClients.Bulk second = null;
        try {
            WindowedPublisher publisher = new WindowedPublisher(pub.connected().get(0), 16);
            AtomicLong acked = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            Thread sender = new Thread(() -> sent.set(Paced.run(s.stormRate(), Long.MAX_VALUE, (seq, due) -> {
                Device d = devices.get((int) (seq % devices.size()));
                publisher.send("devices/" + d.id() + "/messages", Support.payload(Receipts.prefix(RUN, seq, due), s.payloadBytes()), due,
                        code -> {
                            if (code == 0) {
                                acked.incrementAndGet();
                            }
                        });
            }, stop::get)), "bench-storm-publisher");
            sender.start();
            Pause.of(Duration.ofMillis(500));

            CpuMeter meter = CpuMeter.start(ctx.mosquittoPids());
            long t0 = System.nanoTime();
            long overflows0 = NetStat.listenCounters()[0];
            List<CompletableFuture<Void>> drops = first.connected().stream().map(MqttConn::drop).toList();
            CompletableFuture.allOf(drops.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            second = ctx.mqtt.connectAll(resume, s.connectConcurrency(), RETRIES, x -> receipts).get();
            double connected = (System.nanoTime() - t0) / 1e9;
            CpuMeter.Use cpu = meter.stop();
            long overflows = NetStat.listenCounters()[0] - overflows0;
            stop.set(true);
            sender.join();
            Poll.until(Duration.ofSeconds(60), Duration.ofMillis(20), () -> acked.get() >= sent.get());
            long t1 = System.nanoTime();
            Poll.until(DRAIN, Duration.ofMillis(50), () -> receipts.received() >= acked.get());
            double drain = (System.nanoTime() - t1) / 1e9;
            System.out.printf("bench: 5 storm    mosquitto %,d devices: all reconnected %.1f s; %,d acknowledged, %,d received%n",
                    devices.size(), connected, acked.get(), receipts.received());
            return new Storm(devices.size(), connected, Double.NaN, second.failures().values().stream().mapToLong(AtomicLong::get).sum(),
                    second.retried(), sent.get(), acked.get(), receipts.received(), receipts.duplicates(), drain,
                    second.failures().isEmpty() ? null : Support.reasons(second.failures()), second.connackLatency().summary().p99(),
                    overflows, cpu);
        } finally {
            MqttClients.disconnectAll(pub.connected());
            MqttClients.disconnectAll(first.connected());
            if (second != null) {
                // The persistent sessions stay in mosquitto, which is stopped after the last scenario.
                MqttClients.disconnectAll(second.connected());
            }
        }
    }
}
