package io.tether.bench.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The pids of the benchmark's children in a file (bench.pids in the work directory) so that bench/run can stop
 * them when the benchmark JVM was killed with SIGKILL and ran no shutdown hook.
 */
final class Pids {
    private static final Map<Long, String> LIVE = new ConcurrentHashMap<>();
    private static volatile Path file;

    private Pids() {
    }

    static void useFile(Path path) {
        file = path;
        write();
    }

    static void record(Proc proc) {
        LIVE.put(proc.pid(), proc.name());
        write();
    }

    static void forget(Proc proc) {
        LIVE.remove(proc.pid());
        write();
    }

    private static synchronized void write() {
        Path target = file;
        if (target == null) {
            return;
        }
        String text = LIVE.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("\n"));
        try {
            Files.writeString(target, text.isEmpty() ? "" : text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            System.err.println("bench: cannot write " + target + ": " + e);
        }
    }
}
