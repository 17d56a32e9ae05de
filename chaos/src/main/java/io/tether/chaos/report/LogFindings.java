package io.tether.chaos.report;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The warnings and errors the processes logged during a phase: marks where each log ended, reads what came after. */
public final class LogFindings {
    private static final Pattern FINDING = Pattern.compile("\\b(WARN|WARNING|ERROR|SEVERE|FATAL)\\b|Exception");
    private static final Pattern NOISE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d[,.]\\d+|\\b\\d+\\b");
    private static final int PER_LOG = 6;

    private final Map<Path, Long> marks = new LinkedHashMap<>();

    /** Remembers where every log ends now. */
    public void mark(List<Path> logs) {
        marks.clear();
        for (Path log : logs) {
            marks.put(log, size(log));
        }
    }

    /** Per log, up to six distinct warning or error lines written since {@link #mark} (timestamps and numbers ignored for distinctness). */
    public Map<String, List<String>> since() {
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (Map.Entry<Path, Long> entry : marks.entrySet()) {
            List<String> lines = findings(entry.getKey(), entry.getValue());
            if (!lines.isEmpty()) {
                found.put(entry.getKey().getFileName().toString(), lines);
            }
        }
        return found;
    }

    private static List<String> findings(Path log, long from) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        int total = 0;
        for (String line : read(log, from).split("\n")) {
            if (FINDING.matcher(line).find()) {
                total++;
                if (seen.add(NOISE.matcher(line).replaceAll("#")) && out.size() < PER_LOG) {
                    out.add(line.length() > 400 ? line.substring(0, 400) + "…" : line);
                }
            }
        }
        if (total > out.size()) {
            out.add("(" + total + " warning/error lines in all)");
        }
        return out;
    }

    private static String read(Path log, long from) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long start = from > length ? 0 : from; // rotated or truncated: read it all
            byte[] bytes = new byte[(int) Math.min(length - start, 4 << 20)];
            file.seek(start);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static long size(Path log) {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
