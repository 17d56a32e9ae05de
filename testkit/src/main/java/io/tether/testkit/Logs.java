package io.tether.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Stream;

/** A child process's log: its end, for error messages, and a line of the testkit's own. */
public final class Logs {
    private Logs() {
    }

    /** The last {@code lines} lines of {@code file}, or a note why there are none. */
    public static String tail(Path file, int lines) {
        return tail(file, 0, lines);
    }

    /** The last {@code lines} lines written to {@code file} after byte {@code offset} (e.g. by this run of a process). */
    public static String tail(Path file, long offset, int lines) {
        if (!Files.exists(file)) {
            return "(no log at " + file + ")";
        }
        Deque<String> last = new ArrayDeque<>(lines);
        try {
            byte[] bytes = Files.readAllBytes(file);
            int from = (int) Math.min(Math.max(offset, 0), bytes.length);
            // Lenient decoding: a log may end in a half-written multi-byte character.
            collect(new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8), lines, last);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
        return String.join(System.lineSeparator(), last);
    }

    /** Adds one line at the end of {@code file} (made when missing). */
    public static void append(Path file, String line) throws IOException {
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Size of {@code file} now (0 if absent): the offset where the next run's output begins. */
    public static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void collect(String text, int lines, Deque<String> last) {
        try (Stream<String> all = text.lines()) {
            all.forEach(line -> {
                if (last.size() == lines) {
                    last.removeFirst();
                }
                last.addLast(line);
            });
        }
    }
}
