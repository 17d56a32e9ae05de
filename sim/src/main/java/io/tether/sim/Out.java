package io.tether.sim;

import java.io.PrintStream;

/** What the simulator prints: one line per event, with the seconds since it started, from any thread. */
final class Out {
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final boolean quiet;

    Out(PrintStream out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    /** An event (dropped when quiet: many devices at once). */
    synchronized void event(String who, String what) {
        if (!quiet) {
            out.printf("[%6.2fs] %-8s %s%n", (System.nanoTime() - start) / 1e9, who, what);
        }
    }

    /** A heading or a result: always printed. */
    synchronized void line(String text) {
        out.println(text);
        out.flush();
    }
}
