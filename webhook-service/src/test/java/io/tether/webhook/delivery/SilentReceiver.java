package io.tether.webhook.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A webhook receiver on 127.0.0.1 that accepts every connection and never answers, until closed. */
final class SilentReceiver implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SilentReceiver() {
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(() -> {
            try {
                while (true) {
                    connections.add(server.accept());
                }
            } catch (IOException e) {
                // closed
            }
        }, "silent-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
    }

    /** Connections accepted so far (each one a request that is never answered). */
    int connections() {
        return connections.size();
    }

    /** Closes the server and every connection: the requests on them fail. */
    @Override
    public void close() throws IOException {
        server.close();
        try {
            // A connection accepted just before the close is added after it: wait, or it would stay open, unanswered.
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Socket socket : connections) {
            socket.close();
        }
    }
}
