package io.tether.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's TCP counters from {@code /proc/net/netstat}: {@code TcpExt ListenOverflows} (a SYN or handshake
 * completed while a listener's accept queue was full), {@code ListenDrops} and {@code TCPSynRetrans} (SYNs sent again: a
 * connect whose first SYN got no answer waits 1 s, then longer, for the next). They count for the whole network
 * namespace, not per listener: the benchmark reads them around phases in which only one system accepts connections.
 */
public final class NetStat {
    private NetStat() {
    }

    /** {@code {ListenOverflows, ListenDrops, TCPSynRetrans}} now; zeros when the file cannot be read. */
    public static long[] listenCounters() {
        try {
            Map<String, Long> tcpExt = parse(Files.readAllLines(Path.of("/proc/net/netstat")), "TcpExt:");
            return new long[] {tcpExt.getOrDefault("ListenOverflows", 0L), tcpExt.getOrDefault("ListenDrops", 0L),
                    tcpExt.getOrDefault("TCPSynRetrans", 0L)};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0, 0};
        }
    }

    /** The section {@code prefix} of /proc/net/netstat: a line of names followed by a line of values. */
    static Map<String, Long> parse(List<String> lines, String prefix) {
        Map<String, Long> out = new HashMap<>();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix) && lines.get(i + 1).startsWith(prefix)) {
                String[] names = lines.get(i).trim().split("\\s+");
                String[] values = lines.get(i + 1).trim().split("\\s+");
                for (int k = 1; k < Math.min(names.length, values.length); k++) {
                    out.put(names[k], Long.parseLong(values[k]));
                }
                return out;
            }
        }
        return out;
    }
}
