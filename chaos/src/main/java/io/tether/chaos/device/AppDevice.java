package io.tether.chaos.device;

import java.time.Duration;
import java.util.List;

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

    /** Starts a Paho client: MQTT 5 or 3.1.1, connecting to the first of {@code uris} that answers. */
    static AppDevice start(boolean mqtt5, Credentials device, List<String> uris, Listener listener, Duration timeout) {
        return mqtt5 ? Paho5Device.start(device, uris, listener, timeout) : Paho3Device.start(device, uris, listener, timeout);
    }

    static String filter(String deviceId) {
        return "devices/" + deviceId + "/#";
    }
}
