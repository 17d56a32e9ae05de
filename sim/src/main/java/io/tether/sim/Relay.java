package io.tether.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * One device connection through a local TCP relay, so that the simulator can do to the socket what iOS does to an app's:
 * freeze it (suspended: the socket stays open and nothing reads it, either way), cut it (defunct with a FIN: Tether
 * sees the close at once) or make it vanish (defunct without a FIN: the device is gone, Tether's socket stays open and
 * nobody reads it until Tether gives up on it). TLS passes through untouched.
 */
final class Relay implements AutoCloseable {
    enum State { RUNNING, FROZEN, CUT, VANISHED }

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Object lock = new Object();
    private State state = State.RUNNING;
    private Socket device;
    private Socket tether;

    private Relay(ServerSocket server, String targetHost, int targetPort) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Listens on a free local port for the one connection the device makes, and relays it to Tether. */
    static Relay to(String host, int port) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            Relay relay = new Relay(server, host, port);
            Thread accept = new Thread(relay::accept, "relay-accept-" + server.getLocalPort());
            accept.setDaemon(true);
            accept.start();
            return relay;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a local relay: " + e.getMessage(), e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        try {
            Socket in = server.accept();
            Socket out = new Socket(targetHost, targetPort);
            synchronized (lock) {
                device = in;
                tether = out;
            }
            pump(in, out, "up");
            pump(out, in, "down");
        } catch (IOException e) {
            close();
        } finally {
            closeQuietly(server);
        }
    }

    private void pump(Socket from, Socket to, String direction) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!awaitRunning()) {
                        return; // cut or vanished: what was read is dropped
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
                closeUnlessVanished();
            } catch (IOException e) {
                closeUnlessVanished();
            }
        }, "relay-" + direction + "-" + port());
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits while frozen; false once the connection was cut or vanished. */
    private boolean awaitRunning() {
        synchronized (lock) {
            while (state == State.FROZEN) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return state == State.RUNNING;
        }
    }

    /** Suspended: nothing moves either way, the sockets stay open. */
    void freeze() {
        set(State.FROZEN);
    }

    /** Back in the foreground: what waited moves on. */
    void thaw() {
        set(State.RUNNING);
    }

    /** Defunct with a FIN: both sockets close, Tether sees it at once. */
    void cut() {
        set(State.CUT);
        closeSockets(true);
    }

    /** Defunct without a FIN: the device loses its socket, Tether's stays open and unread. */
    void vanish() {
        set(State.VANISHED);
        synchronized (lock) {
            closeQuietly(device);
        }
    }

    State state() {
        synchronized (lock) {
            return state;
        }
    }

    private void set(State next) {
        synchronized (lock) {
            if (state == State.CUT || state == State.VANISHED) {
                return;
            }
            state = next;
            lock.notifyAll();
        }
    }

    private void closeUnlessVanished() {
        if (state() != State.VANISHED) {
            closeSockets(true);
        }
    }

    private void closeSockets(boolean both) {
        synchronized (lock) {
            closeQuietly(device);
            if (both) {
                closeQuietly(tether);
            }
        }
    }

    /** The end of the case: whatever is left closes (a vanished connection's Tether side too). */
    @Override
    public void close() {
        synchronized (lock) {
            if (state != State.CUT) {
                state = State.CUT;
                lock.notifyAll();
            }
        }
        closeSockets(true);
        closeQuietly(server);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
