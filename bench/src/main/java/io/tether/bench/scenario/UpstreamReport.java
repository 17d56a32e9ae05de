package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.Scale;
import io.tether.bench.report.Chart;
import io.tether.bench.report.Fmt;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.scenario.UpstreamScenario.Run;
import java.util.List;

/** Scenario 1's headline rows, tables, notes, numbers and charts. */
final class UpstreamReport {
    private UpstreamReport() {
    }

    static void write(BenchContext ctx, ScenarioResult r, Run tether, Run mosquitto, Run kept) {
        Scale s = ctx.scale;
        List<String> gw = List.of("gateway-mqtt");
        List<String> gwKafka = List.of("gateway-mqtt", "kafka");
        double gwUs = tether.micros(gw);
        double gwJitUs = tether.cpu() == null ? Double.NaN : tether.cpu().jitOf(gw) / tether.messages() * 1e6;
        double gwKafkaUs = tether.micros(gwKafka);
        double allUs = tether.systemMicros();
        double mqUs = mosquitto.systemMicros();
        double keptUs = kept.systemMicros();

        r.headline("upstream throughput (msg/s)", Fmt.num(tether.rate()), Fmt.num(mosquitto.rate()),
                Fmt.ratio(tether.rate(), mosquitto.rate()), "");
        r.headline("PUBACK latency p99", Fmt.ms(tether.latency().p99()), Fmt.ms(mosquitto.latency().p99()),
                Fmt.ratio(tether.latency().p99(), mosquitto.latency().p99()), "");
        r.headline("CPU per message: gateway alone vs mosquitto", Fmt.num(gwUs) + " µs", Fmt.num(mqUs) + " µs",
                Fmt.ratio(gwUs, mqUs), "≤ ×1.5");
        r.headline("CPU per message: gateway + Kafka vs mosquitto with persistence on", Fmt.num(gwKafkaUs) + " µs",
                Fmt.num(keptUs) + " µs", Fmt.ratio(gwKafkaUs, keptUs), "");

        var t = r.table("Throughput and PUBACK latency (" + s.upPublishers() + " publishers × " + s.upMessages() + " messages of "
                + s.payloadBytes() + " B, window " + s.upWindow() + ", after the warm-up below)",
                "system", "messages", "seconds", "msg/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms");
        for (Run run : List.of(tether, mosquitto, kept)) {
            ScenarioResult.row(t, run.system(), run.messages(), run.seconds(), run.rate(), run.latency().p50(), run.latency().p90(),
                    run.latency().p99(), run.latency().p999(), run.latency().max());
        }
        var c = r.table("CPU per message (user + system time from /proc/<pid>/stat during the measured part)",
                "process", "CPU µs per message", "ratio to mosquitto");
        ScenarioResult.row(c, "Tether gateway-mqtt", gwUs, Fmt.ratio(gwUs, mqUs));
        ScenarioResult.row(c, "of which its JIT compiler threads", gwJitUs, "");
        ScenarioResult.row(c, "Tether gateway-mqtt + Kafka", gwKafkaUs, Fmt.ratio(gwKafkaUs, mqUs));
        ScenarioResult.row(c, "Tether, all processes (incl. idle fanout, push, registry, Redis)", allUs, Fmt.ratio(allUs, mqUs));
        ScenarioResult.row(c, "mosquitto", mqUs, "×1");
        ScenarioResult.row(c, "mosquitto, persistence on", keptUs, Fmt.ratio(keptUs, mqUs));
        for (Run run : List.of(tether, mosquitto, kept)) {
            ScenarioResult.row(c, "load generator (bench JVM), " + run.system() + " run", run.micros(List.of("bench")), "");
        }
        long planned = (long) s.upPublishers() * s.upMessages();
        if (tether.messages() < planned || mosquitto.messages() < planned || kept.messages() < planned) {
            r.note("The measured part stops starting publishes after " + s.upDeadline().toSeconds() + " s: Tether completed "
                    + tether.messages() + ", mosquitto " + mosquitto.messages() + " and mosquitto with persistence "
                    + kept.messages() + " of " + planned + " planned messages.");
        }
        r.note("Warm-up before the measured part (at least " + s.upWarmupTime().toSeconds() + " s in parts of " + s.upWarmup()
                + " messages per publisher, then on while the JIT compiler threads of the system's JVMs use more than "
                + LiveLadder.COMPILED + " of a core, for at most " + LiveLadder.MAX_WARMUP_FACTOR + " times that): "
                + warmup(tether) + "; " + warmup(mosquitto) + "; " + warmup(kept) + ".");
        r.note(String.format("Machine CPU busy during the measured part: Tether run %s, mosquitto run %s, persistent mosquitto "
                + "run %s of all cores.", busy(tether), busy(mosquitto), busy(kept)));
        r.note("What each side does per message before its PUBACK. Tether: the gateway produces the record to Kafka "
                + "(acks=all, idempotent producer, linger 5 ms) and waits for the broker's ack; a single broker appends it to "
                + "its log in the page cache (Kafka does not fsync per record; it counts on replication, which one node lacks). "
                + "mosquitto: keeps the message in memory and, with no subscriber, drops it. mosquitto with persistence on: "
                + "queues it in memory for the offline backend session and writes its whole database to disk (fsync'ed) "
                + "every second, so a crash loses up to a second of messages, like Redis's appendfsync everysec. The gateway's "
                + "per-connection publish limit is raised for the run (tether.mqtt.limits.publish-per-second=1000000).");

        r.number("tether.msgs_per_s", tether.rate()).number("mosquitto.msgs_per_s", mosquitto.rate())
                .number("mosquitto_persistent.msgs_per_s", kept.rate())
                .number("tether.puback_p50_ms", tether.latency().p50()).number("tether.puback_p99_ms", tether.latency().p99())
                .number("tether.puback_p999_ms", tether.latency().p999())
                .number("mosquitto.puback_p50_ms", mosquitto.latency().p50())
                .number("mosquitto.puback_p99_ms", mosquitto.latency().p99())
                .number("mosquitto.puback_p999_ms", mosquitto.latency().p999())
                .number("mosquitto_persistent.puback_p99_ms", kept.latency().p99())
                .number("tether.gateway_cpu_us_per_msg", gwUs).number("tether.gateway_jit_cpu_us_per_msg", gwJitUs)
                .number("tether.warmup_s", tether.warmup() == null ? Double.NaN : tether.warmup().seconds())
                .number("tether.gateway_kafka_cpu_us_per_msg", gwKafkaUs)
                .number("tether.all_cpu_us_per_msg", allUs).number("mosquitto.cpu_us_per_msg", mqUs)
                .number("mosquitto_persistent.cpu_us_per_msg", keptUs)
                .number("ratio.throughput", tether.rate() / mosquitto.rate())
                .number("ratio.gateway_cpu", gwUs / mqUs).number("ratio.gateway_kafka_cpu", gwKafkaUs / mqUs)
                .number("ratio.gateway_kafka_cpu_vs_persistent", gwKafkaUs / keptUs);

        r.chart(new Chart.Bars("s1-throughput.png", "Upstream QoS 1 throughput", "messages / s", List.of("throughput"),
                Chart.seriesOf("Tether", Support.list(tether.rate()), "mosquitto", Support.list(mosquitto.rate()),
                        "mosquitto, persistence on", Support.list(kept.rate())), false));
        r.chart(new Chart.Bars("s1-puback-latency.png", "PUBACK latency", "ms (log)", List.of("p50", "p90", "p99", "p99.9"),
                Chart.seriesOf("Tether", percentiles(tether), "mosquitto", percentiles(mosquitto), "mosquitto, persistence on",
                        percentiles(kept)), true));
        r.chart(new Chart.Bars("s1-cpu-per-message.png", "Broker CPU per upstream message", "µs per message",
                List.of("CPU per message"), Chart.seriesOf("Tether gateway", Support.list(gwUs), "Tether gateway + Kafka",
                        Support.list(gwKafkaUs), "mosquitto", Support.list(mqUs), "mosquitto, persistence on", Support.list(keptUs)),
                false));
    }

    private static List<Double> percentiles(Run run) {
        return Support.list(run.latency().p50(), run.latency().p90(), run.latency().p99(), run.latency().p999());
    }

    private static String warmup(Run run) {
        if (run.warmup() == null) {
            return run.system() + " –";
        }
        return String.format("%s %.1f s (%,d messages per publisher, JIT threads at its end %.2f cores)", run.system(),
                run.warmup().seconds(), run.warmup().messagesPerPublisher(), run.warmup().jitCores());
    }

    private static String busy(Run run) {
        return run.cpu() == null ? "–" : Fmt.num(run.cpu().machineBusy() * 100) + " %";
    }
}
