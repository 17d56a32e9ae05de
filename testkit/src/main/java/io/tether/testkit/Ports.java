package io.tether.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Free TCP ports on 127.0.0.1 for processes the tests start. */
public final class Ports {
    private static final int LOW = 20000;
    private static final int HIGH = 32000;
    // A port handed out is not bound until its process starts: never hand it out twice in one JVM.
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /**
     * A random port in 20000–32000 that could be bound just now. Random rather than "bind port 0 and
     * reuse" (which races with other processes that do the same), checked by binding, retried.
     */
    public static int free() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (!GIVEN.contains(port) && isFree(port) && GIVEN.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free TCP port found in " + LOW + "-" + HIGH);
    }

    /** Whether a server socket can bind this port on 127.0.0.1 now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
