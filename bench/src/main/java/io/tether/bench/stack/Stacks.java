package io.tether.bench.stack;

import java.nio.file.Path;

/** Run-wide settings of the processes the benchmark starts. */
public final class Stacks {
    private Stacks() {
    }

    /** Where the pids of live children are kept for bench/run's clean-up after a SIGKILL. */
    public static void usePidFile(Path file) {
        Pids.useFile(file);
    }
}
