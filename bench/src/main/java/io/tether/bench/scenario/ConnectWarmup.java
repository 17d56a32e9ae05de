package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.measure.CpuMeter;
import io.tether.bench.mqtt.ConnectSpec;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.mqtt.MqttConn;
import io.tether.bench.report.ScenarioResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 2's warm-up: devices of its own connect, subscribe and disconnect on a system, round after round, before the
 * levels are measured, so the levels see connects in a steady state rather than JVMs compiling the CONNECT path; its
 * rounds are reported on their own (the first is the cold figure).
 */
final class ConnectWarmup {
    private ConnectWarmup() {
    }

    /** One round of the warm-up (not part of any level): its devices connected and subscribed, then disconnected. */
    record Round(int round, long connected, double rate, ConnectCpu cpu) {
    }

    /**
     * The warm-up's devices connect and disconnect, round after round (so no more of them are open at once than the levels
     * hold); the levels' measurement starts once both systems are idle.
     */
    static List<Round> run(BenchContext ctx, ScenarioResult r, String system, List<ConnectSpec> specs,
            Map<String, Long> cpuPids) {
        List<Round> rounds = new ArrayList<>();
        if (specs.isEmpty()) {
            return rounds;
        }
        for (int round = 1; round <= ctx.scale.connectWarmupRounds(); round++) {
            CpuMeter meter = CpuMeter.start(cpuPids);
            MqttClients.Bulk bulk = ctx.mqtt.connectAll(specs, ctx.scale.connectConcurrency(), 0, s -> MqttConn.IGNORE).join();
            ConnectCpu cpu = ConnectCpu.of(meter.stop(), bulk.connected().size());
            MqttClients.disconnectAll(bulk.connected());
            rounds.add(new Round(round, bulk.connected().size(), bulk.ratePerSecond(), cpu));
            System.out.printf("bench: 2 idle     %-9s warm-up round %d: %,d devices at %,.0f/s, %,.0f µs CPU per connect%n", system,
                    round, bulk.connected().size(), bulk.ratePerSecond(), cpu.cpuMicros());
            ctx.quiet(r, system + "'s next connects");
        }
        return rounds;
    }

    static void report(ScenarioResult r, List<Round> tether, List<Round> mosquitto) {
        if (tether.isEmpty() && mosquitto.isEmpty()) {
            return;
        }
        var w = r.table("Warm-up rounds before the levels (not in them): the same devices connect, subscribe and disconnect "
                + "each round", "system", "round", "connected", "connects/s", "CPU per connect µs", "of which JIT µs");
        tether.forEach(x -> ScenarioResult.row(w, "Tether", x.round(), x.connected(), x.rate(), x.cpu().cpuMicros(), x.cpu().jitMicros()));
        mosquitto.forEach(x -> ScenarioResult.row(w, "mosquitto", x.round(), x.connected(), x.rate(), x.cpu().cpuMicros(), "–"));
        if (!tether.isEmpty()) {
            r.number("tether.connect_rate_cold", tether.get(0).rate())
                    .number("tether.cpu_us_per_connect_cold", tether.get(0).cpu().cpuMicros());
        }
        if (!mosquitto.isEmpty()) {
            r.number("mosquitto.connect_rate_cold", mosquitto.get(0).rate());
        }
    }
}
