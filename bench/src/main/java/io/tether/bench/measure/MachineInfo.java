package io.tether.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the machine is, for the report: CPU model and count, memory, kernel, OS, JDK, open-file limit. */
public final class MachineInfo {
    private MachineInfo() {
    }

    public static Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("CPU", cpuModel() + " × " + Runtime.getRuntime().availableProcessors() + " (logical cores available)");
        out.put("Memory", memTotal());
        out.put("OS", os());
        out.put("Kernel", read("/proc/sys/kernel/osrelease"));
        out.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        out.put("Open files (per process)", String.valueOf(ProcessStats.openFileLimit(ProcessHandle.current().pid())));
        out.put("Ephemeral ports", read("/proc/sys/net/ipv4/ip_local_port_range").replaceAll("\\s+", "–"));
        return out;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format("%.1f GiB", Long.parseLong(l.replaceAll("\\D", "")) / 1048576.0)).findFirst().orElse("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String os() {
        try {
            return Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME="))
                    .map(l -> l.substring(12).replace("\"", "")).findFirst().orElse("Linux");
        } catch (IOException e) {
            return "Linux";
        }
    }

    private static String read(String file) {
        try {
            return String.join(" ", Files.readAllLines(Path.of(file))).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
