package io.tether.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * One JVM shutdown hook that closes what was registered, newest first, then kills any child process
 * still alive. One hook rather than one per component because the JVM runs hooks concurrently, in no
 * order: services must stop before the Kafka and Redis they use.
 */
public final class Shutdown {
    private static final List<AutoCloseable> REGISTERED = new ArrayList<>();
    private static boolean hookInstalled;
    private static volatile boolean shuttingDown;

    private Shutdown() {
    }

    /** Closes {@code closeable} at JVM exit unless it was {@link #unregister unregistered} first. */
    public static void register(AutoCloseable closeable) {
        synchronized (Shutdown.class) {
            installHook();
            if (!shuttingDown) {
                REGISTERED.add(closeable);
                return;
            }
        }
        close(closeable); // started while the JVM is already stopping (e.g. Ctrl-C during start-up)
    }

    public static synchronized void unregister(AutoCloseable closeable) {
        REGISTERED.remove(closeable);
    }

    static boolean shuttingDown() {
        return shuttingDown;
    }

    static synchronized void installHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(Shutdown::closeAll, "tether-shutdown"));
            hookInstalled = true;
        }
    }

    private static void closeAll() {
        List<AutoCloseable> toClose;
        synchronized (Shutdown.class) {
            shuttingDown = true;
            toClose = new ArrayList<>(REGISTERED);
            REGISTERED.clear();
        }
        // Services first, side by side (none waits for another, and each takes seconds to stop); then the rest, newest
        // first, so Kafka and Redis stop after everything that used them.
        ServiceProcess.closeTogether(toClose.stream()
                .filter(ServiceProcess.class::isInstance).map(ServiceProcess.class::cast).toList());
        for (int i = toClose.size() - 1; i >= 0; i--) {
            if (!(toClose.get(i) instanceof ServiceProcess)) {
                close(toClose.get(i));
            }
        }
        // A child whose owner had not registered yet (still waiting for it to get ready) must not survive us.
        Children.killAll();
    }

    private static void close(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("tether: closing " + closeable + " at exit failed: " + e);
        }
    }
}
