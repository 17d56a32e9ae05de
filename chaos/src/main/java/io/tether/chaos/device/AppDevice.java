package io.tether.chaos.device;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A device app on a stock MQTT client (Eclipse Paho): it reconnects on its own with a short backoff, trying
 * the gateways in its own order, and subscribes to {@code devices/<id>/#} on every connect, as apps do.
 */
public interface AppDevice extends AutoCloseable {

    /** Receives each message the app got (its payload) with the time it arrived. */
    interface Listener {
        void received(String deviceId, byte[] payload, long epochMillis);
    }

    String id();

    /** The gateway URI of the current connection, or null while disconnected. */
    String connectedTo();

    /** Whether it is connected and subscribed. */
    boolean ready();

    /** Publishes QoS 1 upstream; true once the gateway's PUBACK came within {@code timeout}. */
    boolean publish(String topic, byte[] payload, Duration timeout);

    @Override
    void close();

    /** How many apps {@link #startAll} connects at once: enough to overlap their round trips, not a thread per app. */
    int STARTING_AT_ONCE = 32;

    /** Starts a Paho client: MQTT 5 or 3.1.1, connecting to the first of {@code uris} that answers. */
    static AppDevice start(boolean mqtt5, Credentials device, List<String> uris, Listener listener, Duration timeout) {
        return mqtt5 ? Paho5Device.start(device, uris, listener, timeout) : Paho3Device.start(device, uris, listener, timeout);
    }

    /**
     * Starts apps side by side (each one's connect and subscribe are round trips of its own) and returns them in the
     * order of {@code starts} once all are ready; when one fails, the others are closed and its failure is thrown (with
     * any failed close suppressed in it). At most {@link #STARTING_AT_ONCE} start at once: a run may have thousands.
     */
    static List<AppDevice> startAll(List<Supplier<AppDevice>> starts) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(starts.size(), STARTING_AT_ONCE)), r -> {
            Thread thread = new Thread(r, "chaos-app-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<CompletableFuture<AppDevice>> starting = starts.stream().map(start -> CompletableFuture.supplyAsync(start, pool)).toList();
            List<AppDevice> started = new ArrayList<>();
            RuntimeException failure = null;
            for (CompletableFuture<AppDevice> app : starting) {
                try {
                    started.add(app.join());
                } catch (CompletionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException cause ? cause : e;
                    }
                }
            }
            if (failure != null) {
                for (AppDevice app : started) {
                    try {
                        app.close();
                    } catch (RuntimeException e) {
                        failure.addSuppressed(e);
                    }
                }
                throw failure;
            }
            return started;
        } finally {
            pool.shutdown();
        }
    }

    static String filter(String deviceId) {
        return "devices/" + deviceId + "/#";
    }
}
