package io.tether.bench.scenario;

import io.netty.buffer.Unpooled;
import io.tether.bench.BenchContext;
import io.tether.bench.measure.Latency;
import io.tether.bench.measure.ProcessStats;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.mqtt.MqttConn;
import io.tether.bench.report.Chart;
import io.tether.bench.report.Fmt;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.stack.Await;
import io.tether.bench.stack.Devices.Device;
import io.tether.bench.stack.Rest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 3: connected, subscribed devices; a backend sends at fixed rates. Tether: REST {@code POST /v1/messages} to
 * one device each, round robin; mosquitto: QoS 1 PUBLISH to the device's topic from a few publisher connections. Latency
 * runs from the moment each message was due (open loop) to its arrival at the device.
 */
public final class LiveDownstreamScenario implements Scenario {
    private static final int MOSQUITTO_PUBLISHERS = 8;
    private static final int PUBLISH_WINDOW = 16;
    private static final Duration DRAIN = Duration.ofSeconds(20);

    @Override
    public String id() {
        return "3";
    }

    @Override
    public String title() {
        return "Live downstream: end-to-end latency at fixed rates";
    }

    /**
     * @param answer  Tether: from due time to the 202 answer; mosquitto: from due time to the publisher's PUBACK
     * @param status  null when the step ran as planned; otherwise why not (overloaded, skipped)
     */
    record Step(int rate, long sent, long accepted, double sendSeconds, long received, long duplicates, Latency.Summary latency,
            Latency.Summary answer, double cpuMicrosPerMessage, String errors, String status) {
        long lost() {
            return accepted - received;
        }

        static Step skipped(int rate, String why) {
            Latency.Summary none = new Latency().summary();
            return new Step(rate, 0, 0, 1, 0, 0, none, none, Double.NaN, null, why);
        }
    }

    /** The backlog (sent, not yet received) at which a step stops: the system fell this far behind the offered rate. */
    private static final Duration MAX_BEHIND = Duration.ofSeconds(5);

    @Override
    public void run(BenchContext ctx, ScenarioResult r) throws Exception {
        var s = ctx.scale;
        List<Device> receivers = ctx.devices.subList(0, s.liveDevices());
        List<Step> tether = tetherRuns(ctx, receivers);
        Support.quiesce(ctx);
        List<Step> mosquitto = mosquittoRuns(ctx, receivers);

        var t = r.table("Per rate (" + s.liveDevices() + " devices, " + s.liveDuration().toSeconds() + " s per rate, "
                + s.payloadBytes() + " B payloads; latency from the message's due time to its arrival at the device)",
                "system", "rate msg/s", "sent", "accepted", "received", "missing after drain", "dup", "p50 ms", "p90 ms",
                "p99 ms", "p99.9 ms", "max ms", "202 / PUBACK p99 ms", "CPU µs/msg", "status");
        for (int i = 0; i < tether.size(); i++) {
            for (Step st : List.of(tether.get(i), mosquitto.get(i))) {
                boolean isTether = st == tether.get(i);
                ScenarioResult.row(t, isTether ? "Tether (REST → device)" : "mosquitto (publish → subscriber)", st.rate(),
                        st.sent(), st.accepted(), st.received(), st.lost(), st.duplicates(),
                        st.latency().p50(), st.latency().p90(), st.latency().p99(), st.latency().p999(), st.latency().max(),
                        st.answer().p99(), st.cpuMicrosPerMessage(), st.status() == null ? "ok" : st.status());
                String k = (isTether ? "tether" : "mosquitto") + ".";
                r.number(k + "p50_ms." + st.rate(), st.latency().p50()).number(k + "p99_ms." + st.rate(), st.latency().p99())
                        .number(k + "lost." + st.rate(), st.lost()).number(k + "cpu_us_per_msg." + st.rate(), st.cpuMicrosPerMessage())
                        .number(k + "achieved_rate." + st.rate(), st.sent() / st.sendSeconds());
                if (st.errors() != null) {
                    r.note((isTether ? "Tether" : "mosquitto") + " at " + st.rate() + " msg/s: " + st.errors());
                }
            }
            Step tt = tether.get(i);
            Step mm = mosquitto.get(i);
            r.headline("live p99 at " + Fmt.count(tt.rate()) + " msg/s", Fmt.ms(tt.latency().p99()), Fmt.ms(mm.latency().p99()),
                    Fmt.ratio(tt.latency().p99(), mm.latency().p99()), tt.rate() == 5000 ? "≤ 20 ms at 5k msg/s" : "");
            if (tt.status() != null) {
                r.headline("live at " + Fmt.count(tt.rate()) + " msg/s", tt.status(), mm.status() == null ? "ok" : mm.status(), "", "");
            }
            if (tt.lost() > 0) {
                r.headline("live messages not received at " + Fmt.count(tt.rate()) + " msg/s", Fmt.count(tt.lost()),
                        Fmt.count(mm.lost()), "", "0");
            }
        }
        r.note("202 / PUBACK: Tether's answer to POST /v1/messages (the message is durable in Kafka), mosquitto's PUBACK to the "
                + "publisher, both from the message's due time. A step stops early when the system falls " + MAX_BEHIND.toSeconds()
                + " s of messages behind the offered rate (overloaded), and higher rates are then skipped; messages not received "
                + DRAIN.toSeconds() + " s after the last send count as missing.");
        r.note("CPU µs/msg: all of Tether's processes (gateway, fanout, Kafka, Redis, push, registry) or mosquitto, per "
                + "message received, over the send and drain time.");
        r.note("Tether's path per message: REST → fanout (202 once in Kafka) → Kafka → fanout routing (presence, per-device "
                + "order in Redis) → Kafka → gateway → device → PUBACK → receipt. mosquitto's: publisher → broker → subscriber.");
        r.chart(new Chart.Lines("s3-live-latency.png", "Live downstream latency vs rate", "messages / s", "ms (log)",
                Chart.pointsOf(
                        "Tether p50", tether.stream().map(x -> new double[] {x.rate(), x.latency().p50()}).toList(),
                        "mosquitto p50", mosquitto.stream().map(x -> new double[] {x.rate(), x.latency().p50()}).toList(),
                        "Tether p99", tether.stream().map(x -> new double[] {x.rate(), x.latency().p99()}).toList(),
                        "mosquitto p99", mosquitto.stream().map(x -> new double[] {x.rate(), x.latency().p99()}).toList()),
                true));
        r.chart(new Chart.Bars("s3-achieved-rate.png", "Messages received per second at each offered rate", "messages / s",
                tether.stream().map(x -> Fmt.count(x.rate()) + " offered").toList(),
                Chart.seriesOf("Tether", tether.stream().map(x -> x.received() / x.sendSeconds()).toList(),
                        "mosquitto", mosquitto.stream().map(x -> x.received() / x.sendSeconds()).toList()), false));
    }

    private static List<Step> tetherRuns(BenchContext ctx, List<Device> receivers) throws Exception {
        var s = ctx.scale;
        Receipts receipts = new Receipts();
        MqttClients.Bulk bulk = Support.connectAllOrFail(ctx, "Tether receivers",
                receivers.stream().map(d -> ctx.tetherSpec(d, true)).toList(), s.connectConcurrency(), 2, receipts);
        try {
            if (Double.isNaN(Support.awaitLive(ctx, receivers, null, Duration.ofSeconds(60)))) {
                throw new IllegalStateException("not every receiver became LIVE within 60 s");
            }
            int minRate = s.liveRates().get(0);
            tetherStep(ctx, receivers, receipts, 0, minRate, s.liveWarmup(), false);
            List<Step> steps = new ArrayList<>();
            int run = 1;
            String overloaded = null;
            for (int rate : s.liveRates()) {
                if (overloaded != null) {
                    steps.add(Step.skipped(rate, "skipped: " + overloaded));
                    continue;
                }
                Step step = tetherStep(ctx, receivers, receipts, run++, rate, s.liveDuration(), true);
                steps.add(step);
                if (step.status() != null) {
                    overloaded = "overloaded at " + Fmt.count(rate) + " msg/s";
                }
            }
            return steps;
        } finally {
            MqttClients.disconnectAll(bulk.connected());
        }
    }

    private static Step tetherStep(BenchContext ctx, List<Device> receivers, Receipts receipts, int run, int rate, Duration duration,
            boolean report) {
        long capacity = (long) rate * duration.toMillis() / 1000 + 1;
        receipts.begin(run, capacity);
        byte[] pad = ".".repeat(ctx.scale.payloadBytes()).getBytes(StandardCharsets.US_ASCII);
        AtomicLong accepted = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        AtomicLong sentSoFar = new AtomicLong();
        Latency answer = new Latency();
        Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        long maxBehind = Math.max(100, rate * MAX_BEHIND.toSeconds());
        ProcessStats.CpuMeter meter = ProcessStats.CpuMeter.start(ctx.tetherPids());
        long t0 = System.nanoTime();
        long sent = Paced.run(rate, duration, (seq, due) -> {
            sentSoFar.incrementAndGet();
            Device d = receivers.get((int) (seq % receivers.size()));
            String prefix = Receipts.prefix(run, seq, due);
            String payload = prefix + new String(pad, 0, Math.max(0, pad.length - prefix.length()), StandardCharsets.US_ASCII);
            String body = "{\"to\":{\"device\":\"" + d.id() + "\"},\"payload\":" + Rest.quote(payload) + "}";
            ctx.rest.post(ctx.tether.fanoutPort(), "/v1/messages", body).whenComplete((a, e) -> {
                answer.recordNanos(System.nanoTime() - due);
                if (e != null) {
                    errors.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(), k -> new AtomicLong()).incrementAndGet();
                } else if (a.status() == 202) {
                    accepted.incrementAndGet();
                } else {
                    errors.computeIfAbsent("HTTP " + a.status(), k -> new AtomicLong()).incrementAndGet();
                }
                answered.incrementAndGet();
            });
        }, () -> sentSoFar.get() - receipts.received() > maxBehind);
        double sendSeconds = (System.nanoTime() - t0) / 1e9;
        long planned = (long) rate * duration.toMillis() / 1000;
        String status = sent < planned ? String.format("overloaded: fell %d s behind after %.1f s", MAX_BEHIND.toSeconds(), sendSeconds)
                : null;
        boolean drained = Await.until(DRAIN, Duration.ofMillis(20),
                () -> answered.get() >= sent && receipts.received() >= accepted.get());
        if (!drained && status == null) {
            status = "overloaded: not drained " + DRAIN.toSeconds() + " s after the last send";
        }
        ProcessStats.CpuUse cpu = meter.stop();
        List<String> all = List.of("gateway-mqtt", "kafka", "fanout-service", "push-service", "device-registry", "redis");
        double cpuPer = receipts.received() == 0 ? Double.NaN : cpu.sum(all) / receipts.received() * 1e6;
        Step step = new Step(rate, sent, accepted.get(), sendSeconds, receipts.received(), receipts.duplicates(),
                receipts.latency().summary(), answer.summary(), cpuPer, errors.isEmpty() ? null : Support.reasons(errors), status);
        if (!drained) {
            // Let the backlog clear before the next step (or scenario) measures anything.
            Await.until(Duration.ofSeconds(60), Duration.ofMillis(50), () -> answered.get() >= sent && receipts.received() >= accepted.get());
        }
        if (report) {
            System.out.printf("bench: 3 live     Tether    %,6d msg/s: sent %,d accepted %,d received %,d, p50 %.2f ms p99 %.2f ms%s%n",
                    rate, sent, step.accepted(), step.received(), step.latency().p50(), step.latency().p99(),
                    status == null ? "" : " (" + status + ")");
        }
        return step;
    }

    private static List<Step> mosquittoRuns(BenchContext ctx, List<Device> receivers) throws Exception {
        var s = ctx.scale;
        Receipts receipts = new Receipts();
        MqttClients.Bulk bulk = Support.connectAllOrFail(ctx, "mosquitto receivers",
                receivers.stream().map(d -> ctx.mosquittoSpec(d, true)).toList(), s.connectConcurrency(), 2, receipts);
        List<Device> publisherDevices = ctx.devices.subList(s.liveDevices(), s.liveDevices() + MOSQUITTO_PUBLISHERS);
        MqttClients.Bulk pubs = Support.connectAllOrFail(ctx, "mosquitto publishers",
                publisherDevices.stream().map(d -> ctx.mosquittoSpec(d, false)).toList(), MOSQUITTO_PUBLISHERS, 2, MqttConn.IGNORE);
        try {
            List<Windowed> publishers = pubs.connected().stream().map(Windowed::new).toList();
            mosquittoStep(ctx, receivers, receipts, publishers, 0, s.liveRates().get(0), s.liveWarmup(), false);
            List<Step> steps = new ArrayList<>();
            int run = 1;
            String overloaded = null;
            for (int rate : s.liveRates()) {
                if (overloaded != null) {
                    steps.add(Step.skipped(rate, "skipped: " + overloaded));
                    continue;
                }
                Step step = mosquittoStep(ctx, receivers, receipts, publishers, run++, rate, s.liveDuration(), true);
                steps.add(step);
                if (step.status() != null) {
                    overloaded = "overloaded at " + Fmt.count(rate) + " msg/s";
                }
            }
            return steps;
        } finally {
            MqttClients.disconnectAll(pubs.connected());
            MqttClients.disconnectAll(bulk.connected());
        }
    }

    private static Step mosquittoStep(BenchContext ctx, List<Device> receivers, Receipts receipts, List<Windowed> publishers, int run,
            int rate, Duration duration, boolean report) {
        long capacity = (long) rate * duration.toMillis() / 1000 + 1;
        receipts.begin(run, capacity);
        byte[] pad = ".".repeat(ctx.scale.payloadBytes()).getBytes(StandardCharsets.US_ASCII);
        Latency answer = new Latency();
        AtomicLong sentSoFar = new AtomicLong();
        long maxBehind = Math.max(100, rate * MAX_BEHIND.toSeconds());
        ProcessStats.CpuMeter meter = ProcessStats.CpuMeter.start(ctx.mosquittoPids());
        long t0 = System.nanoTime();
        long sent = Paced.run(rate, duration, (seq, due) -> {
            sentSoFar.incrementAndGet();
            Device d = receivers.get((int) (seq % receivers.size()));
            byte[] prefix = Receipts.prefix(run, seq, due).getBytes(StandardCharsets.US_ASCII);
            byte[] payload = pad.clone();
            System.arraycopy(prefix, 0, payload, 0, Math.min(prefix.length, payload.length));
            publishers.get((int) (seq % publishers.size())).send("devices/" + d.id() + "/messages", payload, due, answer);
        }, () -> sentSoFar.get() - receipts.received() > maxBehind);
        double sendSeconds = (System.nanoTime() - t0) / 1e9;
        long planned = (long) rate * duration.toMillis() / 1000;
        String status = sent < planned ? String.format("overloaded: fell %d s behind after %.1f s", MAX_BEHIND.toSeconds(), sendSeconds)
                : null;
        boolean drained = Await.until(DRAIN, Duration.ofMillis(20), () -> receipts.received() >= sent);
        if (!drained && status == null) {
            status = "overloaded: not drained " + DRAIN.toSeconds() + " s after the last send";
        }
        ProcessStats.CpuUse cpu = meter.stop();
        double cpuPer = receipts.received() == 0 ? Double.NaN : cpu.of("mosquitto") / receipts.received() * 1e6;
        Step step = new Step(rate, sent, sent, sendSeconds, receipts.received(), receipts.duplicates(), receipts.latency().summary(),
                answer.summary(), cpuPer, null, status);
        if (report) {
            System.out.printf("bench: 3 live     mosquitto %,6d msg/s: sent %,d received %,d, p50 %.2f ms p99 %.2f ms%s%n",
                    rate, sent, step.received(), step.latency().p50(), step.latency().p99(), status == null ? "" : " (" + status + ")");
        }
        return step;
    }

    /** A publisher connection that keeps at most {@link #PUBLISH_WINDOW} publishes unacknowledged and queues the rest. */
    private static final class Windowed {
        private final MqttConn conn;
        private final ArrayDeque<Object[]> queue = new ArrayDeque<>();
        private int inflight;

        Windowed(MqttConn conn) {
            this.conn = conn;
        }

        void send(String topic, byte[] payload, long due, Latency acked) {
            conn.execute(() -> {
                queue.add(new Object[] {topic, payload, due, acked});
                pump();
            });
        }

        private void pump() {
            while (inflight < PUBLISH_WINDOW && !queue.isEmpty()) {
                Object[] next = queue.poll();
                inflight++;
                Latency acked = (Latency) next[3];
                conn.publish((String) next[0], Unpooled.wrappedBuffer((byte[]) next[1]), (Long) next[2], (c, sent, code) -> {
                    inflight--;
                    if (code == 0 && acked != null) {
                        acked.recordNanos(System.nanoTime() - sent);
                    }
                    pump();
                });
            }
        }
    }
}
