package io.tether.bench.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and memory of processes, read from {@code /proc/<pid>/stat} (utime + stime, in clock ticks, and for a
 * process also cutime + cstime: its children's once it reaped them) and {@code /proc/<pid>/status} (VmRSS), and the
 * machine's CPU from {@code /proc/stat}.
 */
public final class ProcessStats {
    private static final double TICKS_PER_SECOND = clockTicks();

    private ProcessStats() {
    }

    /**
     * User + system CPU seconds the process has used so far, its reaped children's included; 0 when it is gone. Redis
     * forks for every AOF rewrite and the child's CPU is Redis's work: it counts once Redis has reaped the child (in the
     * phase where the rewrite ended). No other measured process forks.
     */
    public static double cpuSeconds(long pid) {
        return statCpuSeconds(Path.of("/proc", String.valueOf(pid), "stat"), true);
    }

    /**
     * CPU seconds so far of a JVM's compiler threads (C1 and C2) and of its garbage collector threads, told apart by
     * their names in {@code /proc/<pid>/task/<tid>/comm}: {@code {jit, gc}}. Threads that already ended are not
     * counted (HotSpot starts and stops compiler threads as its queue grows and shrinks), so these are lower bounds.
     */
    public static double[] jitAndGcSeconds(long pid) {
        double[] out = new double[2];
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                String name = readQuietly(task.resolve("comm"));
                int kind = name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre") ? 0
                        : name.startsWith("GC Thread") || name.startsWith("G1 ") ? 1 : -1;
                if (kind >= 0) {
                    out[kind] += statCpuSeconds(task.resolve("stat"), false);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not a Linux /proc
        }
        return out;
    }

    private static double statCpuSeconds(Path stat, boolean withChildren) {
        try {
            return cpuTicks(Files.readString(stat, StandardCharsets.US_ASCII), withChildren) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime of a {@code stat} line, plus cutime + cstime when {@code withChildren}. */
    static long cpuTicks(String statLine, boolean withChildren) {
        // "pid (comm) state ppid ..." – comm may hold spaces and parentheses: split after the last ')'.
        String[] fields = statLine.substring(statLine.lastIndexOf(')') + 2).split(" ");
        long own = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15 of the whole line
        return withChildren ? own + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : own; // 16 and 17
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
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
}
