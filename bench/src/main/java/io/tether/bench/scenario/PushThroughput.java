package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.Scale;
import io.tether.bench.measure.CpuMeter;
import io.tether.bench.report.Chart;
import io.tether.bench.report.Fmt;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.stack.Devices.Device;
import io.tether.contract.Json;
import io.tether.contract.PushRequest;
import io.tether.contract.Topics;
import io.tether.testkit.Poll;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Scenario 4's second part: push-service's throughput into the APNs mock against raw Pushy's, each sending the same
 * number of notifications after the same number of unmeasured ones, each in its own JVM with the same JVM options.
 * push-service is fed push requests produced straight to its input topic, so the figure is push-service's alone.
 */
final class PushThroughput {
    static final String PUSH_OPTIONS = "{\"alert\":{\"title\":\"Tether bench\",\"body\":\"You have a message\"},\"sound\":\"default\"}";

    /** One sender's run: notifications the mock accepted, their rate, the sender's CPU per notification. */
    record Sender(long accepted, double perSecond, double cpuMicros) {
        static final Sender NONE = new Sender(0, Double.NaN, Double.NaN);
    }

    private PushThroughput() {
    }

    static void run(BenchContext ctx, ScenarioResult r, ApnsAccepted accepted) throws Exception {
        Scale s = ctx.scale;
        List<Device> targets = ctx.pushDevices;
        int warm = Math.max(20, Math.min(s.pushRequests() / 10, 2000));
        Duration wait = Duration.ofSeconds(Math.max(60, s.pushSeconds().toSeconds() * 3));
        // push-service's warm-up; its rate sizes the measured runs (about pushSeconds long), so a slow service does not
        // stretch the whole benchmark.
        produce(ctx, "bw", warm, targets);
        Poll.until(wait, Duration.ofMillis(20), () -> accepted.count("bw") >= warm);
        if (accepted.count("bw") == 0) {
            r.note("push-service sent none of the " + warm + " push requests produced straight to " + Topics.PUSH + " within "
                    + wait.toSeconds() + " s: if that internal topic or its record format changed, this measurement needs a new "
                    + "way in. push-service's throughput was not measured.");
            return;
        }
        double warmRate = accepted.perSecond("bw");
        int k = (int) Math.max(Math.min(100, s.pushRequests()), Math.min(s.pushRequests(),
                Double.isNaN(warmRate) ? warm : warmRate * s.pushSeconds().toSeconds()));
        Sides.Both<Sender> both = Sides.run(ctx, "4", r, "raw Pushy", () -> pushService(ctx, accepted, targets, k, wait), () -> {
            RawPushy.Result raw = RawPushy.run(ctx, targets, warm, k);
            if (raw.rejected() > 0) {
                r.note("raw Pushy: " + raw.rejected() + " notifications rejected or failed.");
            }
            return new Sender(accepted.count("raw"), accepted.perSecond("raw"), raw.cpuSeconds() / k * 1e6);
        }, Sender.NONE);
        report(ctx, r, both.tether(), both.peer(), warm, k);
        if (both.tether().accepted() < k) {
            throw new IllegalStateException("push-service got " + both.tether().accepted() + " of " + k + " notifications accepted "
                    + "within " + wait.toSeconds() + " s");
        }
    }

    private static Sender pushService(BenchContext ctx, ApnsAccepted accepted, List<Device> targets, int k, Duration wait) {
        String name = "push-service";
        CpuMeter meter = CpuMeter.start(Map.of(name, ctx.tether.pids().get(name)));
        produce(ctx, "bp", k, targets);
        Poll.until(wait, Duration.ofMillis(20), () -> accepted.count("bp") >= k);
        CpuMeter.Use cpu = meter.stop();
        long count = accepted.count("bp");
        return new Sender(count, accepted.perSecond("bp"), count == 0 ? Double.NaN : cpu.of(name) / count * 1e6);
    }

    private static void report(BenchContext ctx, ScenarioResult r, Sender service, Sender raw, int warm, int k) {
        System.out.printf("bench: 4 push     push-service %,.0f/s (%d of %d), raw Pushy %,.0f/s (%d)%n", service.perSecond(),
                service.accepted(), k, raw.perSecond(), raw.accepted());
        r.headline("push throughput (notifications/s) vs raw Pushy", Fmt.num(service.perSecond()), Fmt.num(raw.perSecond()),
                Fmt.ratio(service.perSecond(), raw.perSecond()), "≥ ×0.9");
        var t = r.table(k + " notifications to " + ctx.pushDevices.size() + " devices after " + warm + " unmeasured; rate between "
                + "the first and the last acceptance at the mock", "sender", "accepted", "notifications/s", "ratio to raw Pushy",
                "CPU µs per notification");
        ScenarioResult.row(t, "push-service (Kafka → Redis device lookup → Pushy → receipt)", service.accepted(),
                service.perSecond(), Fmt.ratio(service.perSecond(), raw.perSecond()), service.cpuMicros());
        ScenarioResult.row(t, "raw Pushy (its own JVM; " + RawPushy.CONNECTIONS + " connections, " + RawPushy.MAX_IN_FLIGHT
                + " in flight, " + RawPushy.THREADS + " event loop threads)", raw.accepted(), raw.perSecond(), "×1", raw.cpuMicros());
        r.note("push-service and raw Pushy each run in a JVM of their own with the same options (" + String.join(" ",
                ctx.jvm.service("push-service")) + "), send the same number of notifications after the same number of "
                + "unmeasured ones, and drive the same mock with the same key, connections, event loop threads and in-flight "
                + "bound. push-service is fed push requests produced straight to " + Topics.PUSH + " (the records fanout "
                + "would write) and handles one device's requests in order: " + k + " requests over " + ctx.pushDevices.size()
                + " devices. CPU per notification is the sender's process alone (raw Pushy reads its own over the measured part). "
                + "The measured count is sized from push-service's warm-up rate to take about "
                + ctx.scale.pushSeconds().toSeconds() + " s (at most " + ctx.scale.pushRequests() + ").");
        r.number("tether.push_per_s", service.perSecond()).number("raw_pushy.push_per_s", raw.perSecond())
                .number("ratio.push", service.perSecond() / raw.perSecond()).number("tether.push_cpu_us", service.cpuMicros())
                .number("raw_pushy.push_cpu_us", raw.cpuMicros()).number("tether.push_accepted", service.accepted())
                .number("raw_pushy.accepted", raw.accepted()).number("push_notifications", k);
        r.chart(new Chart.Bars("s4-push-throughput.png", "APNs notifications per second into the same mock", "notifications / s",
                List.of("throughput"), Chart.seriesOf("push-service", Support.list(service.perSecond()), "raw Pushy",
                        Support.list(raw.perSecond())), false));
    }

    /** Push requests as fanout would write them, straight onto tether.push; message ids {@code <prefix>-<n>}. */
    private static void produce(BenchContext ctx, String prefix, int count, List<Device> targets) {
        byte[] data = Support.payload("throughput", 64);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ctx.tether.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer())) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < count; i++) {
                Device d = targets.get(i % targets.size());
                PushRequest request = new PushRequest(d.id(), prefix + "-" + i, now, now + 3_600_000, null, PUSH_OPTIONS, data,
                        "text/plain", "offline", null);
                producer.send(new ProducerRecord<>(Topics.PUSH, d.id(), Json.toBytes(request)));
            }
            producer.flush();
        }
    }
}
