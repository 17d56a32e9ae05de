package io.tether.bench.measure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Waits until groups of processes are idle together: each group's CPU over a window (one second at full scale) below
 * its bound. A phase of one system starts only once the other has finished what the previous phase left it (presence
 * updates of closed connections, compilations, a database save), so the two never share the cores.
 */
public final class Quiet {

    /** One group: its processes and the cores it may use and still count as idle. */
    public record Group(String name, Map<String, Long> pids, double maxCores) {
    }

    /** How it ended: whether every group got idle, after how long, and the cores each used in the last window. */
    public record Outcome(boolean quiet, double seconds, Map<String, Double> cores) {
    }

    private Quiet() {
    }

    public static Outcome await(List<Group> groups, Duration window, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Map<String, Long> all = new java.util.LinkedHashMap<>();
        groups.forEach(g -> g.pids().forEach((name, pid) -> all.put(g.name() + "/" + name, pid)));
        Map<String, Double> cores = new java.util.LinkedHashMap<>();
        while (true) {
            CpuMeter meter = CpuMeter.start(all);
            Pause.of(window);
            CpuMeter.Use use = meter.stop();
            boolean quiet = true;
            for (Group g : groups) {
                double used = use.cores(g.pids().keySet().stream().map(n -> g.name() + "/" + n).toList());
                cores.put(g.name(), used);
                quiet &= used <= g.maxCores();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (quiet || System.nanoTime() > deadline) {
                return new Outcome(quiet, seconds, cores);
            }
        }
    }
}
