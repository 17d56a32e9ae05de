package io.tether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * A process the testkit started that a test may crash ({@link #kill()}, SIGKILL), freeze ({@link #freeze()},
 * SIGSTOP: the process keeps its sockets but does nothing, like a long GC pause or a stalled VM) and start again
 * with its own command line, ports and data ({@link #restart()}).
 */
public interface Faultable {

    /** The operating system pid of the running process. */
    long pid();

    /** SIGKILL, like a crash: no shutdown hooks, no goodbyes on open connections. */
    void kill();

    /** Starts it again (after a kill or a stop) with the same command line, ports and data directory. */
    void restart();

    /** SIGSTOP: frozen until {@link #thaw()}. */
    default void freeze() {
        signal(pid(), "STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    default void thaw() {
        signal(pid(), "CONT");
    }

    /** Sends {@code signal} (a name such as STOP or CONT) to {@code pid} with kill(1): Java has no API for these. */
    static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                String output = new String(kill.getInputStream().readAllBytes()).trim();
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + signal + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal + " to " + pid, e);
        }
    }
}
