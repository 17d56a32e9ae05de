package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.Scale;
import io.tether.bench.measure.CpuMeter;
import io.tether.bench.measure.JitWarmup;
import io.tether.bench.report.Chart;
import io.tether.bench.report.Fmt;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.stack.Devices.Device;
import io.tether.bench.stack.TetherStack;
import io.tether.contract.Json;
import io.tether.contract.PushRecipient;
import io.tether.contract.PushRequest;
import io.tether.contract.Topics;
import io.tether.testkit.Poll;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Scenario 4's second part: push-service's throughput into the APNs mock against raw Pushy's, each sending the same
 * number of notifications after the same warm-up rule (parts of the same size until its JIT compiler threads are quiet,
 * {@link LiveLadder#warmupRule}), each in its own JVM with the same JVM options. push-service is fed push requests
 * produced straight to its input topic, so the figure is push-service's alone.
 */
final class PushThroughput {
    static final String PUSH_OPTIONS = "{\"alert\":{\"title\":\"Tether bench\",\"body\":\"You have a message\"},\"sound\":\"default\"}";

    /**
     * One sender's run: notifications the mock accepted, their rate, the sender's CPU per notification (and of it its
     * JIT compiler threads'), and its warm-up.
     */
    record Sender(long accepted, double perSecond, double cpuMicros, double jitMicros, LiveLadder.Warmup warmup) {
        static final Sender NONE = new Sender(0, Double.NaN, Double.NaN, Double.NaN, new LiveLadder.Warmup(Double.NaN, Double.NaN));
    }

    /** push-service's run, and the CPU per notification of Tether's other processes meanwhile (µs, by process). */
    record ServiceRun(Sender sender, Map<String, Double> othersMicros) {
    }

    /** Requests per device in each part of the warm-up. */
    static final int WARM_PER_DEVICE = 5;

    private PushThroughput() {
    }

    static void run(BenchContext ctx, ScenarioResult r, ApnsAccepted accepted) throws Exception {
        Scale s = ctx.scale;
        List<Device> targets = ctx.pushDevices;
        // Parts of several requests per device, as the measured burst is (it queues about ten behind each device): with
        // one per device the warm-up never ran push-service's per-device queueing, and the burst compiled it while
        // measured (the JIT threads' share was 42 of 96 µs per notification in the 08:21 full run of 2026-12-07).
        int warm = Math.max(20, Math.min(s.pushRequests() / 2, WARM_PER_DEVICE * targets.size()));
        JitWarmup rule = LiveLadder.warmupRule(s);
        Duration wait = Duration.ofSeconds(Math.max(60, s.pushSeconds().toSeconds() * 3));
        // push-service's warm-up; the rate of its last part sizes the measured runs (about pushSeconds long), so a slow
        // service does not stretch the whole benchmark.
        ServiceWarmup serviceWarmup = warmUp(ctx, accepted, targets, warm, rule, wait);
        if (serviceWarmup == null) {
            r.note("push-service sent none of the " + warm + " push requests produced straight to " + Topics.PUSH + " within "
                    + wait.toSeconds() + " s: if that internal topic or its record format changed, this measurement needs a new "
                    + "way in. push-service's throughput was not measured.");
            return;
        }
        double warmRate = serviceWarmup.lastPartRate();
        int k = (int) Math.max(Math.min(100, s.pushRequests()), Math.min(s.pushRequests(),
                Double.isNaN(warmRate) ? warm : warmRate * s.pushSeconds().toSeconds()));
        Map<String, Double> others = new LinkedHashMap<>();
        Sides.Both<Sender> both = Sides.run(ctx, "4", r, "raw Pushy", () -> {
                    ServiceRun run = pushService(ctx, accepted, targets, k, wait, serviceWarmup.warmup());
                    others.putAll(run.othersMicros());
                    return run.sender();
                }, () -> {
                    RawPushy.Result raw = RawPushy.run(ctx, targets, warm, rule, k);
                    if (raw.rejected() > 0) {
                        r.note("raw Pushy: " + raw.rejected() + " notifications rejected or failed.");
                    }
                    return new Sender(accepted.count("raw"), accepted.perSecond("raw"), raw.cpuSeconds() / k * 1e6,
                            raw.jitSeconds() / k * 1e6, raw.warmup());
                }, Sender.NONE);
        report(ctx, r, both.tether(), both.peer(), others, warm, k);
        if (both.tether().accepted() < k) {
            throw new IllegalStateException("push-service got " + both.tether().accepted() + " of " + k + " notifications accepted "
                    + "within " + wait.toSeconds() + " s");
        }
    }

    /** push-service's warm-up, and the rate of its last part. */
    private record ServiceWarmup(LiveLadder.Warmup warmup, double lastPartRate) {
    }

    /**
     * Parts of {@code warm} push requests (ids {@code bw-<n>}) until the rule says push-service's JIT has compiled
     * what they run; null when push-service sent none of the first part.
     */
    private static ServiceWarmup warmUp(BenchContext ctx, ApnsAccepted accepted, List<Device> targets, int warm, JitWarmup rule,
            Duration wait) {
        String name = "push-service";
        long t0 = System.nanoTime();
        double jitCores;
        double rate;
        int part = 0;
        do {
            CpuMeter meter = CpuMeter.start(Map.of(name, ctx.tether.pids().get(name)));
            long expected = (long) (part + 1) * warm;
            produce(ctx, "bw", part * warm, warm, targets);
            Poll.until(wait, Duration.ofMillis(20), () -> accepted.count("bw") >= expected);
            CpuMeter.Use use = meter.stop();
            if (accepted.count("bw") == 0) {
                return null;
            }
            jitCores = use.jit().getOrDefault(name, 0.0) / use.elapsed();
            rate = warm / use.elapsed();
            part++;
        } while (rule.keepWarming(System.nanoTime() - t0, jitCores));
        LiveLadder.Warmup done = new LiveLadder.Warmup((System.nanoTime() - t0) / 1e9, jitCores);
        System.out.printf("bench: 4 push     push-service warm-up %.0f s (%,d requests); JIT threads at the end %.2f cores%n",
                done.seconds(), part * warm, jitCores);
        return new ServiceWarmup(done, rate);
    }

    private static ServiceRun pushService(BenchContext ctx, ApnsAccepted accepted, List<Device> targets, int k, Duration wait,
            LiveLadder.Warmup warmup) {
        String name = "push-service";
        CpuMeter meter = CpuMeter.start(ctx.tether.pids());
        produce(ctx, "bp", 0, k, targets);
        Poll.until(wait, Duration.ofMillis(20), () -> accepted.count("bp") >= k);
        CpuMeter.Use cpu = meter.stop();
        long count = accepted.count("bp");
        Map<String, Double> others = new LinkedHashMap<>();
        cpu.seconds().forEach((process, seconds) -> {
            if (!process.equals(name)) {
                others.put(process, count == 0 ? Double.NaN : seconds / count * 1e6);
            }
        });
        return new ServiceRun(new Sender(count, accepted.perSecond("bp"), count == 0 ? Double.NaN : cpu.of(name) / count * 1e6,
                count == 0 ? Double.NaN : cpu.jit().getOrDefault(name, 0.0) / count * 1e6, warmup), others);
    }

    private static void report(BenchContext ctx, ScenarioResult r, Sender service, Sender raw, Map<String, Double> others,
            int warm, int k) {
        System.out.printf("bench: 4 push     push-service %,.0f/s (%d of %d), raw Pushy %,.0f/s (%d)%n", service.perSecond(),
                service.accepted(), k, raw.perSecond(), raw.accepted());
        r.headline("push throughput (notifications/s) vs raw Pushy", Fmt.num(service.perSecond()), Fmt.num(raw.perSecond()),
                Fmt.ratio(service.perSecond(), raw.perSecond()), "≥ ×0.9");
        var t = r.table(k + " notifications to " + ctx.pushDevices.size() + " devices after each sender's warm-up; rate between "
                + "the first and the last acceptance at the mock", "sender", "accepted", "notifications/s", "ratio to raw Pushy",
                "CPU µs per notification", "of which JIT µs", "warm-up s", "JIT cores at the warm-up's end");
        ScenarioResult.row(t, "push-service (Kafka → the token carried in the request, or Redis → Pushy → receipt)", service.accepted(),
                service.perSecond(), Fmt.ratio(service.perSecond(), raw.perSecond()), service.cpuMicros(), service.jitMicros(),
                service.warmup().seconds(), service.warmup().jitCores());
        ScenarioResult.row(t, "raw Pushy (its own JVM; " + RawPushy.CONNECTIONS + " connections, " + RawPushy.MAX_IN_FLIGHT
                + " in flight, " + RawPushy.THREADS + " event loop threads)", raw.accepted(), raw.perSecond(), "×1", raw.cpuMicros(),
                raw.jitMicros(), raw.warmup().seconds(), raw.warmup().jitCores());
        JitWarmup rule = LiveLadder.warmupRule(ctx.scale);
        r.note("push-service and raw Pushy each run in a JVM of their own with the same options (" + String.join(" ",
                ctx.jvm.service("push-service")) + "), warm up under the same rule (parts of " + warm + " notifications for at "
                + "least " + rule.min().toSeconds() + " s, then until the JVM's JIT compiler threads used less than "
                + rule.compiled() + " of a core over a part, at most " + rule.maxFactor() * rule.min().toSeconds() + " s: "
                + "scenario 3's rule), send the same number of notifications, and drive the same mock with the same key, "
                + "connections, event loop threads and in-flight bound. push-service is fed push requests produced straight to "
                + Topics.PUSH + " (the records fanout would write, each with the device's token as fanout's routing reads it; "
                + "push-service reads Redis instead for a request older than 5 s) and handles one device's requests in order: " + k
                + " requests over " + ctx.pushDevices.size() + " devices. CPU per notification is the sender's process alone "
                + "(raw Pushy reads its own over the measured part). The measured count is sized from the rate of "
                + "push-service's last warm-up part to take about " + ctx.scale.pushSeconds().toSeconds() + " s (at most "
                + ctx.scale.pushRequests() + ").");
        if (!others.isEmpty()) {
            r.note("While push-service sent, Tether's other processes shared the cores, as they do in a deployment on one "
                    + "machine (fanout settles each receipt push-service writes; raw Pushy has nothing behind it), CPU µs per "
                    + "notification: " + others.entrySet().stream().map(e -> e.getKey() + " " + Fmt.num(e.getValue()))
                    .collect(Collectors.joining(", ")) + ".");
        }
        r.number("tether.push_per_s", service.perSecond()).number("raw_pushy.push_per_s", raw.perSecond())
                .number("ratio.push", service.perSecond() / raw.perSecond()).number("tether.push_cpu_us", service.cpuMicros())
                .number("raw_pushy.push_cpu_us", raw.cpuMicros()).number("tether.push_jit_us", service.jitMicros())
                .number("raw_pushy.push_jit_us", raw.jitMicros()).number("tether.push_warmup_s", service.warmup().seconds())
                .number("raw_pushy.push_warmup_s", raw.warmup().seconds()).number("tether.push_accepted", service.accepted())
                .number("raw_pushy.accepted", raw.accepted()).number("push_notifications", k);
        others.forEach((process, micros) -> r.number("tether.push_others_cpu_us." + process, micros));
        r.chart(new Chart.Bars("s4-push-throughput.png", "APNs notifications per second into the same mock", "notifications / s",
                List.of("throughput"), Chart.seriesOf("push-service", Support.list(service.perSecond()), "raw Pushy",
                        Support.list(raw.perSecond())), false));
    }

    /**
     * Push requests as fanout would write them, straight onto tether.push; message ids {@code <prefix>-<first + n>},
     * round robin over the targets. Each carries the device's token as fanout's routing would have read it, now (push-
     * service reads the registry instead for a request older than its bound, as it would after a backlog).
     */
    private static void produce(BenchContext ctx, String prefix, int first, int count, List<Device> targets) {
        byte[] data = Support.payload("throughput", 64);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ctx.tether.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer())) {
            long now = System.currentTimeMillis();
            for (int i = first; i < first + count; i++) {
                Device d = targets.get(i % targets.size());
                PushRequest request = new PushRequest(d.id(), prefix + "-" + i, now, now + 3_600_000, null, PUSH_OPTIONS, data,
                        "text/plain", "offline", null, new PushRecipient(d.pushToken(), "sandbox", TetherStack.BUNDLE_ID, "ios", 0, now));
                producer.send(new ProducerRecord<>(Topics.PUSH, d.id(), Json.toBytes(request)));
            }
            producer.flush();
        }
    }
}
