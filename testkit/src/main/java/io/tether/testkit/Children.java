package io.tether.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts the child processes of the testkit and makes sure none outlives its parent JVM.
 *
 * <p>A normal exit stops children through {@link Shutdown}. A JVM killed with SIGKILL runs no hooks, so
 * every child is also recorded in a file under {@code java.io.tmpdir/tether-children}; the next JVM that
 * starts a child kills those whose parent is gone (the start time guards against reused pids).
 */
public final class Children {
    private static final Path REGISTRY = Path.of(System.getProperty("java.io.tmpdir"), "tether-children");
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final long SELF = ProcessHandle.current().pid();
    private static final long SELF_STARTED = startMillis(ProcessHandle.current());
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static boolean reaped;

    private Children() {
    }

    /**
     * Starts {@code command} in a session of its own (so a Ctrl-C in the terminal reaches only the
     * parent, which then stops its children in order) and records it for the orphan reaper.
     */
    static synchronized Process start(ProcessBuilder builder) throws IOException {
        if (Shutdown.shuttingDown()) {
            throw new IllegalStateException("the JVM is shutting down: not starting " + builder.command().get(0));
        }
        Shutdown.installHook();
        if (!reaped) {
            reapOrphans();
        }
        if (Files.isExecutable(SETSID)) {
            // setsid execs the command in place (the child is no group leader), so the pid stays the command's.
            List<String> command = new ArrayList<>(builder.command());
            command.add(0, SETSID.toString());
            builder.command(command);
        }
        Process process = builder.start();
        LIVE.add(process);
        record(process);
        return process;
    }

    /** Last resort at JVM exit: SIGKILL every child not stopped by its owner. */
    static void killAll() {
        for (Process process : LIVE) {
            kill(process);
        }
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL; returns when the process is gone. */
    static void stop(Process process, Duration grace) {
        if (process.isAlive()) {
            process.destroy();
            if (!waitFor(process, grace)) {
                process.destroyForcibly();
            }
        }
        waitFor(process, Duration.ofSeconds(10));
        forget(process);
    }

    /** SIGKILL, as a crash would; returns when the process is gone. */
    static void kill(Process process) {
        process.destroyForcibly();
        waitFor(process, Duration.ofSeconds(10));
        forget(process);
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static void record(Process process) {
        try {
            Files.createDirectories(REGISTRY);
            Files.writeString(entry(process), SELF + " " + SELF_STARTED + " " + process.pid() + " "
                    + startMillis(process.toHandle()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("tether: cannot record child " + process.pid() + " in " + REGISTRY + ": " + e);
        }
    }

    private static void forget(Process process) {
        LIVE.remove(process);
        try {
            Files.deleteIfExists(entry(process));
        } catch (IOException ignored) {
            // A stale entry is harmless: the reaper checks the parent and the start time.
        }
    }

    private static Path entry(Process process) {
        return REGISTRY.resolve(SELF + "-" + process.pid());
    }

    /** Kills the recorded children of JVMs that are gone (a SIGKILLed test JVM or local runner). */
    public static synchronized void reapOrphans() {
        reaped = true;
        if (!Files.isDirectory(REGISTRY)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(REGISTRY)) {
            for (Path entry : entries) {
                try {
                    reap(entry);
                } catch (IOException | RuntimeException e) {
                    System.err.println("tether: cannot check " + entry + ": " + e);
                    Files.deleteIfExists(entry);
                }
            }
        } catch (IOException e) {
            System.err.println("tether: cannot scan " + REGISTRY + ": " + e);
        }
    }

    /** Whether {@code pid} is a running process: alive and not a zombie (a dead process nobody has reaped yet). */
    public static boolean isRunning(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            // /proc/<pid>/stat: "pid (command) state ..."; the command may contain spaces and parentheses.
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.UTF_8);
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return true; // no procfs: trust ProcessHandle
        }
    }

    /** An entry reads "parentPid parentStart childPid childStart"; start times tell a reused pid from the original. */
    private static void reap(Path entry) throws IOException {
        String[] fields = Files.readString(entry, StandardCharsets.UTF_8).trim().split(" ");
        if (fields.length != 4) {
            Files.deleteIfExists(entry);
            return;
        }
        if (isSame(Long.parseLong(fields[0]), Long.parseLong(fields[1]))) {
            return; // a live JVM's child
        }
        ProcessHandle.of(Long.parseLong(fields[2]))
                .filter(child -> isSame(child.pid(), Long.parseLong(fields[3])))
                .ifPresent(child -> {
                    String command = child.info().commandLine().orElse("");
                    System.err.println("tether: killing orphan " + child.pid() + " "
                            + (command.length() > 120 ? command.substring(0, 120) + "..." : command));
                    child.destroyForcibly();
                    // Its ports must be free when we return: the caller may be about to bind them.
                    Poll.until(Duration.ofSeconds(10), Duration.ofMillis(20), () -> !isRunning(child.pid()));
                });
        Files.deleteIfExists(entry);
    }

    private static boolean isSame(long pid, long startedMillis) {
        return isRunning(pid) && ProcessHandle.of(pid).map(Children::startMillis).orElse(-1L) == startedMillis;
    }

    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }
}
