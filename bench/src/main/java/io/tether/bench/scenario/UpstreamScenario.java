package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.measure.Latency;
import io.tether.bench.measure.ProcessStats;
import io.tether.bench.mqtt.ConnectSpec;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.mqtt.MqttConn;
import io.tether.bench.report.Chart;
import io.tether.bench.report.Fmt;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.stack.Devices.Device;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 1: N devices each publish M QoS 1 messages of 256 B upstream, each keeping a window of publishes awaiting
 * PUBACK. Tether answers PUBACK once Kafka has the record (acks=all); mosquitto once it has the message. Reports
 * throughput, PUBACK latency, and CPU per message of the broker processes from /proc.
 */
public final class UpstreamScenario implements Scenario {
    @Override
    public String id() {
        return "1";
    }

    @Override
    public String title() {
        return "Upstream: QoS 1 publish throughput, PUBACK latency, CPU per message";
    }

    /** One system's measurement. */
    record Run(long messages, double seconds, Latency.Summary latency, ProcessStats.CpuUse cpu) {
        double rate() {
            return messages / seconds;
        }

        double microsPerMessage(List<String> names) {
            return cpu.sum(names) / messages * 1e6;
        }
    }

    @Override
    public void run(BenchContext ctx, ScenarioResult r) throws Exception {
        var s = ctx.scale;
        List<Device> publishers = ctx.devices.subList(0, s.upPublishers());
        Support.quiesce(ctx);
        Run tether = measure(ctx, "Tether", publishers.stream().map(d -> ctx.tetherSpec(d, false)).toList(), ctx.tetherPids());
        Support.quiesce(ctx);
        Run mosquitto = measure(ctx, "mosquitto", publishers.stream().map(d -> ctx.mosquittoSpec(d, false)).toList(),
                ctx.mosquittoPids());

        List<String> gw = List.of("gateway-mqtt");
        List<String> gwKafka = List.of("gateway-mqtt", "kafka");
        List<String> allTether = List.of("gateway-mqtt", "kafka", "fanout-service", "push-service", "device-registry", "redis");
        double gwUs = tether.microsPerMessage(gw);
        double gwKafkaUs = tether.microsPerMessage(gwKafka);
        double allUs = tether.microsPerMessage(allTether);
        double mqUs = mosquitto.microsPerMessage(List.of("mosquitto"));

        r.headline("upstream throughput (msg/s)", Fmt.num(tether.rate()), Fmt.num(mosquitto.rate()),
                Fmt.ratio(tether.rate(), mosquitto.rate()), "");
        r.headline("PUBACK latency p99", Fmt.ms(tether.latency().p99()), Fmt.ms(mosquitto.latency().p99()),
                Fmt.ratio(tether.latency().p99(), mosquitto.latency().p99()), "");
        r.headline("CPU per message: gateway alone vs mosquitto", Fmt.num(gwUs) + " µs", Fmt.num(mqUs) + " µs",
                Fmt.ratio(gwUs, mqUs), "≤ ×1 (gateway ≤ mosquitto)");
        r.headline("CPU per message: gateway + Kafka vs mosquitto", Fmt.num(gwKafkaUs) + " µs", Fmt.num(mqUs) + " µs",
                Fmt.ratio(gwKafkaUs, mqUs), "");

        var t = r.table("Throughput and PUBACK latency (" + s.upPublishers() + " publishers × " + s.upMessages() + " messages of "
                + s.payloadBytes() + " B, window " + s.upWindow() + ", after " + s.upWarmup() + " unmeasured per publisher)",
                "system", "messages", "seconds", "msg/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms");
        for (var e : Map.of("Tether", tether, "mosquitto", mosquitto).entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())).toList()) {
            Run run = e.getValue();
            ScenarioResult.row(t, e.getKey(), run.messages(), run.seconds(), run.rate(), run.latency().p50(), run.latency().p90(),
                    run.latency().p99(), run.latency().p999(), run.latency().max());
        }
        var c = r.table("CPU per message (user + system time from /proc/<pid>/stat during the measured part)",
                "process", "CPU s", "µs per message", "ratio to mosquitto");
        ScenarioResult.row(c, "Tether gateway-mqtt", tether.cpu().sum(gw), gwUs, Fmt.ratio(gwUs, mqUs));
        ScenarioResult.row(c, "Tether gateway-mqtt + Kafka", tether.cpu().sum(gwKafka), gwKafkaUs, Fmt.ratio(gwKafkaUs, mqUs));
        ScenarioResult.row(c, "Tether, all processes (incl. idle fanout, push, registry, Redis)", tether.cpu().sum(allTether), allUs,
                Fmt.ratio(allUs, mqUs));
        ScenarioResult.row(c, "mosquitto", mosquitto.cpu().of("mosquitto"), mqUs, "×1");
        ScenarioResult.row(c, "load generator (bench JVM), Tether run", tether.cpu().of("bench"),
                tether.microsPerMessage(List.of("bench")), "");
        ScenarioResult.row(c, "load generator (bench JVM), mosquitto run", mosquitto.cpu().of("bench"),
                mosquitto.microsPerMessage(List.of("bench")), "");
        long planned = (long) s.upPublishers() * s.upMessages();
        if (tether.messages() < planned || mosquitto.messages() < planned) {
            r.note("The measured part stops starting publishes after " + s.upDeadline().toSeconds() + " s: Tether completed "
                    + tether.messages() + " and mosquitto " + mosquitto.messages() + " of " + planned + " planned messages.");
        }
        r.note(String.format("Machine CPU busy during the measured part: Tether run %.0f %%, mosquitto run %.0f %% of all cores.",
                tether.cpu().machineBusy() * 100, mosquitto.cpu().machineBusy() * 100));
        r.note("Tether's PUBACK waits for Kafka (acks=all, idempotent producer, linger 1 ms); mosquitto's for nothing but "
                + "its own memory. The gateway's per-connection publish limit is raised for the run "
                + "(tether.mqtt.limits.publish-per-second=1000000).");

        r.number("tether.msgs_per_s", tether.rate()).number("mosquitto.msgs_per_s", mosquitto.rate())
                .number("tether.puback_p50_ms", tether.latency().p50()).number("tether.puback_p99_ms", tether.latency().p99())
                .number("tether.puback_p999_ms", tether.latency().p999())
                .number("mosquitto.puback_p50_ms", mosquitto.latency().p50())
                .number("mosquitto.puback_p99_ms", mosquitto.latency().p99())
                .number("mosquitto.puback_p999_ms", mosquitto.latency().p999())
                .number("tether.gateway_cpu_us_per_msg", gwUs).number("tether.gateway_kafka_cpu_us_per_msg", gwKafkaUs)
                .number("tether.all_cpu_us_per_msg", allUs).number("mosquitto.cpu_us_per_msg", mqUs)
                .number("ratio.throughput", tether.rate() / mosquitto.rate())
                .number("ratio.gateway_cpu", gwUs / mqUs).number("ratio.gateway_kafka_cpu", gwKafkaUs / mqUs);

        r.chart(new Chart.Bars("s1-throughput.png", "Upstream QoS 1 throughput", "messages / s", List.of("throughput"),
                Chart.seriesOf("Tether", Support.list(tether.rate()), "mosquitto", Support.list(mosquitto.rate())), false));
        r.chart(new Chart.Bars("s1-puback-latency.png", "PUBACK latency", "ms (log)", List.of("p50", "p90", "p99", "p99.9"),
                Chart.seriesOf("Tether", Support.list(tether.latency().p50(), tether.latency().p90(), tether.latency().p99(),
                        tether.latency().p999()), "mosquitto", Support.list(mosquitto.latency().p50(), mosquitto.latency().p90(),
                        mosquitto.latency().p99(), mosquitto.latency().p999())), true));
        r.chart(new Chart.Bars("s1-cpu-per-message.png", "Broker CPU per upstream message", "µs per message",
                List.of("CPU per message"), Chart.seriesOf("Tether gateway", Support.list(gwUs), "Tether gateway + Kafka",
                        Support.list(gwKafkaUs), "mosquitto", Support.list(mqUs)), false));
    }

    private static Run measure(BenchContext ctx, String system, List<ConnectSpec> specs, Map<String, Long> pids) throws Exception {
        var s = ctx.scale;
        MqttClients.Bulk bulk = Support.connectAllOrFail(ctx, system + " publishers", specs, s.connectConcurrency(), 2,
                MqttConn.IGNORE);
        List<MqttConn> conns = bulk.connected();
        try {
            publishAll(conns, s.upWarmup(), s.upWindow(), s.payloadBytes(), null, system + " warm-up", s.upDeadline());
            Latency latency = new Latency();
            ProcessStats.CpuMeter meter = ProcessStats.CpuMeter.start(pids);
            long t0 = System.nanoTime();
            publishAll(conns, s.upMessages(), s.upWindow(), s.payloadBytes(), latency, system, s.upDeadline());
            double seconds = (System.nanoTime() - t0) / 1e9;
            ProcessStats.CpuUse cpu = meter.stop();
            System.out.printf("bench: 1 upstream %-9s %,d msg in %.1f s = %,.0f msg/s, p99 %.2f ms%n", system,
                    latency.count(), seconds, latency.count() / seconds, latency.summary().p99());
            return new Run(latency.count(), seconds, latency.summary(), cpu);
        } finally {
            MqttClients.disconnectAll(conns);
        }
    }

    /**
     * Each connection publishes {@code count} messages keeping {@code window} in flight; after {@code deadline} no new
     * publish starts. Returns when every publish sent is acknowledged.
     */
    private static void publishAll(List<MqttConn> conns, int count, int window, int payloadBytes, Latency latency, String what,
            Duration deadline) throws InterruptedException {
        if (count == 0) {
            return;
        }
        long stopAt = System.nanoTime() + deadline.toNanos();
        CountDownLatch done = new CountDownLatch(conns.size());
        AtomicLong failed = new AtomicLong();
        byte[] payload = Support.payload("{\"bench\":\"upstream\"}", payloadBytes);
        for (MqttConn conn : conns) {
            String topic = "devices/" + conn.clientId() + "/telemetry";
            int[] sent = {0};
            int[] acked = {0};
            boolean[] finished = {false};
            MqttConn.Acked[] onAck = new MqttConn.Acked[1];
            onAck[0] = (c, sentNanos, code) -> {
                if (finished[0]) {
                    return;
                }
                if (code != 0) {
                    failed.incrementAndGet();
                    finished[0] = true;
                    done.countDown();
                    return;
                }
                long now = System.nanoTime();
                if (latency != null) {
                    latency.recordNanos(now - sentNanos);
                }
                acked[0]++;
                boolean stopping = now - stopAt > 0;
                if (sent[0] < count && !stopping) {
                    sent[0]++;
                    c.publish(topic, Support.buffer(payload), onAck[0]);
                }
                if (acked[0] == sent[0]) {
                    finished[0] = true;
                    done.countDown();
                }
            };
            conn.execute(() -> {
                for (int i = 0; i < Math.min(window, count); i++) {
                    sent[0]++;
                    conn.publish(topic, Support.buffer(payload), onAck[0]);
                }
            });
        }
        if (!done.await(deadline.toSeconds() + 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException(what + ": " + done.getCount() + " publishers still wait for PUBACKs 2 minutes after "
                    + "the deadline");
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(what + ": " + failed.get() + " publishers lost their connection before every PUBACK came");
        }
    }
}
