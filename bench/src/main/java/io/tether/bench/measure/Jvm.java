package io.tether.bench.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Asks a service JVM, through jcmd, for a full GC (so RSS reflects live data, not garbage) and what its heap holds. */
public final class Jvm {
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    private static final AtomicInteger KEPT = new AtomicInteger();

    private Jvm() {
    }

    public static void gc(long pid) {
        jcmd(pid, "GC.run");
    }

    /**
     * Bytes of each class's live instances (jcmd GC.class_histogram, which runs a full GC first); empty when jcmd
     * fails. Diagnosis only: it tells what a per-connection memory figure is made of.
     */
    public static Map<String, Long> liveBytesByClass(long pid) {
        Map<String, Long> bytes = new HashMap<>();
        String histogram = jcmd(pid, "GC.class_histogram");
        keep(pid, histogram);
        for (String line : histogram.split("\n")) {
            Matcher m = HISTOGRAM_ROW.matcher(line);
            if (m.find()) {
                bytes.merge(m.group(3), Long.parseLong(m.group(2)), Long::sum);
            }
        }
        return bytes;
    }

    /**
     * With {@code BENCH_HISTOGRAM_DIR} set, each histogram is also written there whole ({@code <pid>-<n>.txt}, in the
     * order taken), for instance counts the report's byte table leaves out.
     */
    private static void keep(long pid, String histogram) {
        String dir = System.getenv("BENCH_HISTOGRAM_DIR");
        if (dir == null || dir.isBlank()) {
            return;
        }
        try {
            Path folder = Files.createDirectories(Path.of(dir));
            Files.writeString(folder.resolve(pid + "-" + KEPT.incrementAndGet() + ".txt"), histogram);
        } catch (IOException e) {
            System.err.println("bench: could not keep the histogram in " + dir + ": " + e);
        }
    }

    private static String jcmd(long pid, String command) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            System.err.println("bench: jcmd " + pid + " " + command + " failed: " + e);
            return "";
        }
    }
}
