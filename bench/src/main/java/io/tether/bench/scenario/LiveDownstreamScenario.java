package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.Scale;
import io.tether.bench.report.Chart;
import io.tether.bench.report.Fmt;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.stack.Devices.Device;
import java.util.List;

/**
 * Scenario 3: connected, subscribed devices; a backend sends at fixed rates. Tether: REST {@code POST /v1/messages} to
 * one device each, round robin; mosquitto: QoS 1 PUBLISH to the device's topic from a few publisher connections. Latency
 * runs from the moment each message was due (open loop) to its arrival at the device: measured at the edges only.
 */
public final class LiveDownstreamScenario implements Scenario {
    @Override
    public String id() {
        return "3";
    }

    @Override
    public String title() {
        return "Live downstream: end-to-end latency at fixed rates";
    }

    @Override
    public String description() {
        return "A backend sends to connected devices at fixed rates: Tether through REST POST /v1/messages (one device per "
                + "message, round robin), mosquitto through QoS 1 PUBLISH to the device's topic. Latency runs from the moment "
                + "each message was due (open loop) to its arrival at the device; CPU per message is split by process, and "
                + "Redis's command counters say what each message cost there.";
    }

    @Override
    public String parameters(Scale s, int cap) {
        return s.liveDevices() + " devices, rates " + s.liveRates() + " msg/s for " + s.liveDuration().toSeconds() + " s each after "
                + "a warm-up at " + s.liveWarmupRate() + " msg/s of at least " + s.liveWarmup().toSeconds() + " s, until the JIT is done";
    }

    @Override
    public int devices(Scale s, int cap) {
        return s.liveDevices() + MosquittoLive.extraDevices();
    }

    @Override
    public void run(BenchContext ctx, ScenarioResult r) throws Exception {
        Scale s = ctx.scale;
        List<Device> receivers = ctx.devices.subList(0, s.liveDevices());
        List<LiveStep> none = s.liveRates().stream().map(rate -> LiveStep.skipped(rate, "not run")).toList();
        Sides.Both<List<LiveStep>> both = Sides.run(ctx, id(), r, "mosquitto", () -> {
            try (TetherLive tether = TetherLive.open(ctx, receivers)) {
                LiveLadder ladder = new LiveLadder(s, tether, receivers);
                List<LiveStep> steps = ladder.run();
                warmup(r, ladder.warmup());
                return steps;
            }
        }, () -> {
            try (MosquittoLive mosquitto = MosquittoLive.open(ctx, receivers)) {
                return new LiveLadder(s, mosquitto, receivers).run();
            }
        }, none);
        report(ctx, r, both.tether(), both.peer());
        LiveCosts.report(r, both.tether(), both.peer());
    }

    private static void report(BenchContext ctx, ScenarioResult r, List<LiveStep> tether, List<LiveStep> mosquitto) {
        Scale s = ctx.scale;
        var t = r.table("Per rate (" + s.liveDevices() + " devices, " + s.liveDuration().toSeconds() + " s per rate, "
                + s.payloadBytes() + " B payloads; latency from the message's due time to its arrival at the device)",
                "system", "rate msg/s", "sent", "accepted", "received", "missing", "dup", "p50 ms", "p90 ms",
                "p99 ms", "p99.9 ms", "max ms", "202 / PUBACK p99 ms", "CPU µs/msg", "status");
        for (int i = 0; i < tether.size(); i++) {
            for (LiveStep st : List.of(tether.get(i), mosquitto.get(i))) {
                boolean isTether = st == tether.get(i);
                ScenarioResult.row(t, isTether ? "Tether (REST → device)" : "mosquitto (publish → subscriber)", st.rate(),
                        st.sent(), st.accepted(), st.received(), st.lost(), st.duplicates(), st.latency().p50(), st.latency().p90(),
                        st.latency().p99(), st.latency().p999(), st.latency().max(), st.answer().p99(), st.systemMicros(),
                        st.status() == null ? "ok" : st.status());
                String k = (isTether ? "tether" : "mosquitto") + ".";
                r.number(k + "p50_ms." + st.rate(), st.latency().p50()).number(k + "p99_ms." + st.rate(), st.latency().p99())
                        .number(k + "p999_ms." + st.rate(), st.latency().p999())
                        .number(k + "answer_p99_ms." + st.rate(), st.answer().p99())
                        .number(k + "lost." + st.rate(), st.lost()).number(k + "duplicates." + st.rate(), st.duplicates())
                        .number(k + "cpu_us_per_msg." + st.rate(), st.systemMicros())
                        .number(k + "achieved_rate." + st.rate(), st.achievedRate())
                        .number(k + "overloaded." + st.rate(), st.overloaded() ? 1 : 0)
                        .number(k + "stalled." + st.rate(), st.stalled() ? 1 : 0);
                if (st.errors() != null) {
                    r.note((isTether ? "Tether" : "mosquitto") + " at " + st.rate() + " msg/s: " + st.errors());
                }
            }
            headlines(r, tether.get(i), mosquitto.get(i));
        }
        r.note("202 / PUBACK: Tether's answer to POST /v1/messages (the message is durable in Kafka), mosquitto's PUBACK to the "
                + "publisher, both from the message's due time. A step stops early when the system falls "
                + LiveLadder.MAX_BEHIND.toSeconds() + " s of messages behind the offered rate (overloaded), and higher rates are "
                + "then skipped, as they are after a step with messages not received " + LiveLadder.DRAIN.toSeconds() + " s after the "
                + "last send (overloaded); sends still unanswered then are a stall (reported; the next rate runs). Such a step "
                + "waits up to 70 s more for the rest; "
                + "\"missing\" counts what never came, and the latencies include what came late.");
        r.note("Measured at the edges only: the load generator's REST client and MQTT receivers. Tether's internal Kafka topics "
                + "are not read; whether a receiver is LIVE before the first message is read from its presence hash in Redis.");
        r.note("What each side does per message. Tether: REST → fanout (202 once in Kafka, acks=all) → fanout routing "
                + "(presence, per-device order, inbox and status in Redis, append-only with the run's appendfsync) → gateway → "
                + "device → PUBACK → receipt and status. "
                + "mosquitto: publisher → broker (in memory) → subscriber → PUBACK; nothing is written anywhere.");
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

    private static void warmup(ScenarioResult r, LiveLadder.Warmup w) {
        r.note(String.format("Tether's warm-up: %.0f s at the warm-up rate, until its JVMs' JIT compiler threads used less than "
                + "%.2f of a core over %d s (at least the scale's warm-up, at most %d times it); at its end they used %.2f.",
                w.seconds(), LiveLadder.COMPILED, LiveLadder.WARMUP_PART.toSeconds(), LiveLadder.MAX_WARMUP_FACTOR, w.jitCores()));
        r.number("tether.warmup_s", w.seconds()).number("tether.warmup_end_jit_cores", w.jitCores());
    }

    private static void headlines(ScenarioResult r, LiveStep tt, LiveStep mm) {
        String target = tt.rate() == 1000 ? "≤ 20 ms" : tt.rate() == 5000 ? "≤ 100 ms (goal ≤ 20 ms)" : "";
        r.headline("live p99 at " + Fmt.count(tt.rate()) + " msg/s", Fmt.ms(tt.latency().p99()), Fmt.ms(mm.latency().p99()),
                Fmt.ratio(tt.latency().p99(), mm.latency().p99()), target);
        r.headline("live CPU per message at " + Fmt.count(tt.rate()) + " msg/s (all processes)", Fmt.num(tt.systemMicros()) + " µs",
                Fmt.num(mm.systemMicros()) + " µs", Fmt.ratio(tt.systemMicros(), mm.systemMicros()), "≤ 300 µs");
        if (tt.status() != null) {
            r.headline("live at " + Fmt.count(tt.rate()) + " msg/s", tt.status(), mm.status() == null ? "ok" : mm.status(), "", "");
        }
        if (tt.lost() > 0) {
            r.headline("live messages not received at " + Fmt.count(tt.rate()) + " msg/s", Fmt.count(tt.lost()),
                    Fmt.count(mm.lost()), "", "0");
        }
    }
}
