package io.tether.bench.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU seconds of named processes between {@link #start} and {@link #stop} (user + system time from /proc, reaped
 * children included), of which how much their JIT compiler and GC threads used, and the machine's busy share over the
 * same time.
 */
public final class CpuMeter {
    private final Map<String, Long> pids;
    private final Map<String, Double> before = new LinkedHashMap<>();
    private final Map<String, double[]> threadsBefore = new LinkedHashMap<>();
    private final long startNanos;
    private final long[] machineBefore;

    private CpuMeter(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
        pids.forEach((name, pid) -> {
            before.put(name, ProcessStats.cpuSeconds(pid));
            threadsBefore.put(name, ProcessStats.jitAndGcSeconds(pid));
        });
        this.machineBefore = ProcessStats.machineJiffies();
        this.startNanos = System.nanoTime();
    }

    public static CpuMeter start(Map<String, Long> pids) {
        return new CpuMeter(pids);
    }

    public Use stop() {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        long[] machineAfter = ProcessStats.machineJiffies();
        Map<String, Double> used = new LinkedHashMap<>();
        Map<String, Double> jit = new LinkedHashMap<>();
        Map<String, Double> gc = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            used.put(name, Math.max(0, ProcessStats.cpuSeconds(pid) - before.get(name)));
            double[] now = ProcessStats.jitAndGcSeconds(pid);
            double[] then = threadsBefore.get(name);
            jit.put(name, Math.max(0, now[0] - then[0]));
            gc.put(name, Math.max(0, now[1] - then[1]));
        });
        long total = machineAfter[1] - machineBefore[1];
        double busy = total <= 0 ? 0 : (double) (machineAfter[0] - machineBefore[0]) / total;
        return new Use(used, jit, gc, elapsed, busy);
    }

    /**
     * @param seconds     CPU seconds per process name
     * @param jit         of which its JIT compiler threads (a lower bound: see {@link ProcessStats#jitAndGcSeconds})
     * @param gc          of which its garbage collector threads (likewise)
     * @param elapsed     wall-clock seconds measured
     * @param machineBusy share of all cores busy (0–1)
     */
    public record Use(Map<String, Double> seconds, Map<String, Double> jit, Map<String, Double> gc, double elapsed,
            double machineBusy) {
        public double sum(List<String> names) {
            return names.stream().mapToDouble(n -> seconds.getOrDefault(n, 0.0)).sum();
        }

        public double of(String name) {
            return seconds.getOrDefault(name, 0.0);
        }

        public double jitOf(List<String> names) {
            return names.stream().mapToDouble(n -> jit.getOrDefault(n, 0.0)).sum();
        }

        public double gcOf(List<String> names) {
            return names.stream().mapToDouble(n -> gc.getOrDefault(n, 0.0)).sum();
        }

        /** Cores used on average by the named processes. */
        public double cores(List<String> names) {
            return elapsed <= 0 ? 0 : sum(names) / elapsed;
        }
    }
}
