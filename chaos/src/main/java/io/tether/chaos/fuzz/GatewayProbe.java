package io.tether.chaos.fuzz;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a gateway process holds, read from outside: open device connections ({@code tether_gateway_connections} in
 * its {@code /q/metrics}), open file descriptors ({@code /proc/<pid>/fd}), heap in use right after a full GC
 * ({@code jcmd <pid> GC.run}, then {@code GC.heap_info}) and resident memory ({@code VmRSS}).
 */
public final class GatewayProbe {
    private static final Pattern GENERATION = Pattern.compile("total (\\d+)K, used (\\d+)K");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String metricsUrl;

    public GatewayProbe(String baseUrl) {
        this.metricsUrl = baseUrl + "/q/metrics";
    }

    /**
     * One look at the gateway: device connections by its metric, open descriptors, heap after GC, RSS, and the
     * devices it claims in Redis as connected to it (its device set, which fanout's reaper and routing read).
     */
    public record Sample(long connections, long fileDescriptors, long heapUsedKib, long rssKib, long claimedDevices) {
    }

    /** Connections and descriptors now; heap after a full GC; RSS; {@code claimed}: the size of its device set in Redis. */
    public Sample sample(long pid, long claimed) {
        return new Sample(connections(), fileDescriptors(pid), heapAfterGcKib(pid), rssKib(pid), claimed);
    }

    /** The sum of {@code tether_gateway_connections} over its labels; -1 when the metrics cannot be read. */
    public long connections() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(10)).GET().build();
            String body = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
            return parseConnections(body);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static long parseConnections(String metrics) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("tether_gateway_connections{") || line.startsWith("tether_gateway_connections ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Math.round(sum);
    }

    public static long fileDescriptors(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    public static long rssKib(long pid) {
        try {
            Matcher matcher = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Runs a full GC in the process, then sums the used space of its heap generations (KiB); -1 when jcmd fails. */
    public static long heapAfterGcKib(long pid) {
        jcmd(pid, "GC.run");
        return parseHeapUsed(jcmd(pid, "GC.heap_info"));
    }

    static long parseHeapUsed(String heapInfo) {
        long used = 0;
        boolean found = false;
        for (String line : heapInfo.split("\n")) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            Matcher matcher = GENERATION.matcher(line);
            if (matcher.find()) {
                used += Long.parseLong(matcher.group(2));
                found = true;
            }
        }
        return found ? used : -1;
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return output;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
