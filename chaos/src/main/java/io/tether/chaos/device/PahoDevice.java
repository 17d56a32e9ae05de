package io.tether.chaos.device;

import io.tether.testkit.Poll;
import java.time.Duration;

/** What both Paho clients share: the device, where it is connected, whether it subscribed, and what it received. */
abstract class PahoDevice implements AppDevice {
    private final Credentials device;
    private final Listener listener;
    private volatile String connectedTo;
    private volatile boolean subscribed;

    PahoDevice(Credentials device, Listener listener) {
        this.device = device;
        this.listener = listener;
    }

    /** Connects (retried until {@code timeout}, since Paho reconnects on its own only after a first success) and waits for the SUBACK. */
    final void connect(Duration timeout, Connecting.Attempt connect) {
        Connecting.retry(device.id(), timeout, connect);
        if (!Poll.until(timeout, Duration.ofMillis(20), this::ready)) {
            throw new IllegalStateException(device.id() + " connected but did not subscribe within " + timeout);
        }
    }

    @Override
    public final String id() {
        return device.id();
    }

    @Override
    public final String connectedTo() {
        return connectedTo;
    }

    @Override
    public final boolean ready() {
        return connectedTo != null && subscribed;
    }

    /** Paho connected (first time or again): subscribe, as an app does on every connect. */
    final void connected(String serverUri) {
        connectedTo = serverUri;
        subscribed = false;
        subscribe(AppDevice.filter(device.id()));
    }

    final void subscribed() {
        subscribed = true;
    }

    final void lost() {
        connectedTo = null;
        subscribed = false;
    }

    final void arrived(byte[] payload) {
        listener.received(device.id(), payload, System.currentTimeMillis());
    }

    /** Sends SUBSCRIBE with QoS 1 and calls {@link #subscribed()} on its SUBACK. */
    abstract void subscribe(String filter);
}
