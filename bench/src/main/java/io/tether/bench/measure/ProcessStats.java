package io.tether.bench.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time and memory of processes, read from {@code /proc/<pid>/stat} (utime + stime, in clock ticks) and
 * {@code /proc/<pid>/status} (VmRSS), and the machine's CPU from {@code /proc/stat}.
 */
public final class ProcessStats {
    private static final double TICKS_PER_SECOND = clockTicks();

    private ProcessStats() {
    }

    /** User + system CPU seconds the process has used so far; 0 when it is gone. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.US_ASCII);
            // "pid (comm) state ppid ..." – comm may hold spaces and parentheses: split after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]); // field 14 of the whole line
            long stime = Long.parseLong(fields[12]); // field 15
            return (utime + stime) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Resident set size in bytes (VmRSS); 0 when the process is gone. */
    public static long rssBytes(long pid) {
        return statusKb(pid, "VmRSS:") * 1024;
    }

    /** Threads of the process. */
    public static long threads(long pid) {
        return statusKb(pid, "Threads:");
    }

    /** The soft limit of open files of a process (from /proc/<pid>/limits); -1 when unknown. */
    public static long openFileLimit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                    return parts[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    /** Machine-wide jiffies since boot: [busy, total]. */
    public static long[] machineJiffies() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0); // "cpu  user nice system idle iowait irq softirq steal ..."
            String[] f = first.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static long statusKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    private static double clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            return Double.parseDouble(out);
        } catch (Exception e) {
            return 100;
        }
    }

    /** CPU seconds of named processes between {@link #start} and {@link CpuMeter#stop}, with the machine's busy share. */
    public static final class CpuMeter {
        private final Map<String, Long> pids;
        private final Map<String, Double> before = new LinkedHashMap<>();
        private final long startNanos;
        private final long[] machineBefore;

        private CpuMeter(Map<String, Long> pids) {
            this.pids = new LinkedHashMap<>(pids);
            pids.forEach((name, pid) -> before.put(name, cpuSeconds(pid)));
            this.machineBefore = machineJiffies();
            this.startNanos = System.nanoTime();
        }

        public static CpuMeter start(Map<String, Long> pids) {
            return new CpuMeter(pids);
        }

        public CpuUse stop() {
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            long[] machineAfter = machineJiffies();
            Map<String, Double> used = new LinkedHashMap<>();
            pids.forEach((name, pid) -> used.put(name, Math.max(0, cpuSeconds(pid) - before.get(name))));
            long total = machineAfter[1] - machineBefore[1];
            double busy = total <= 0 ? 0 : (double) (machineAfter[0] - machineBefore[0]) / total;
            return new CpuUse(used, elapsed, busy);
        }
    }

    /**
     * @param seconds     CPU seconds per process name
     * @param elapsed     wall-clock seconds measured
     * @param machineBusy share of all cores busy (0–1)
     */
    public record CpuUse(Map<String, Double> seconds, double elapsed, double machineBusy) {
        public double sum(List<String> names) {
            return names.stream().mapToDouble(n -> seconds.getOrDefault(n, 0.0)).sum();
        }

        public double of(String name) {
            return seconds.getOrDefault(name, 0.0);
        }
    }
}
