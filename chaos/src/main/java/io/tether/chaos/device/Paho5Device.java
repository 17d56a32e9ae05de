package io.tether.chaos.device;

import io.tether.testkit.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A device on Eclipse Paho's MQTT 5 client with automatic reconnect (1–2 s backoff). */
final class Paho5Device implements AppDevice, MqttCallback {
    private final Credentials device;
    private final MqttAsyncClient client;
    private final Listener listener;
    private volatile String connectedTo;
    private volatile boolean subscribed;

    private Paho5Device(Credentials device, MqttAsyncClient client, Listener listener) {
        this.device = device;
        this.client = client;
        this.listener = listener;
    }

    static Paho5Device start(Credentials device, List<String> uris, Listener listener, Duration timeout) {
        try {
            MqttAsyncClient client = new MqttAsyncClient(uris.get(0), device.id(), new MemoryPersistence());
            Paho5Device app = new Paho5Device(device, client, listener);
            client.setCallback(app);
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setServerURIs(uris.toArray(String[]::new));
            options.setUserName(device.username());
            options.setPassword(device.password().getBytes(StandardCharsets.UTF_8));
            options.setCleanStart(true);
            options.setKeepAliveInterval(10);
            options.setConnectionTimeout(5);
            options.setAutomaticReconnect(true);
            options.setAutomaticReconnectDelay(1, 2);
            Connecting.retry(device.id(), timeout, () -> client.connect(options).waitForCompletion(6000));
            if (!Poll.until(timeout, Duration.ofMillis(20), app::ready)) {
                throw new IllegalStateException(device.id() + " connected but did not subscribe within " + timeout);
            }
            return app;
        } catch (MqttException e) {
            throw new IllegalStateException("cannot create an MQTT 5 client for " + device.id(), e);
        }
    }

    @Override
    public String id() {
        return device.id();
    }

    @Override
    public String connectedTo() {
        return connectedTo;
    }

    @Override
    public boolean ready() {
        return connectedTo != null && subscribed;
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        connectedTo = serverURI;
        try {
            client.subscribe(new MqttSubscription[] {new MqttSubscription(AppDevice.filter(device.id()), 1)}, null,
                    new Subscribed(() -> subscribed = true), new MqttProperties());
        } catch (MqttException e) {
            System.err.println("chaos: " + device.id() + " cannot subscribe: " + e);
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        connectedTo = null;
        subscribed = false;
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        System.err.println("chaos: " + device.id() + " MQTT error: " + exception);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        listener.received(device.id(), message.getPayload(), System.currentTimeMillis());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }

    @Override
    public boolean publish(String topic, byte[] payload, Duration timeout) {
        try {
            MqttMessage message = new MqttMessage(payload);
            message.setQos(1);
            client.publish(topic, message).waitForCompletion(timeout.toMillis());
            return true;
        } catch (MqttException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException ignored) {
            // Going away either way.
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // Already closed.
        }
    }

    /** Paho 5's action listener for a subscription: marks it done once the SUBACK came. */
    private record Subscribed(Runnable done) implements org.eclipse.paho.mqttv5.client.MqttActionListener {
        @Override
        public void onSuccess(IMqttToken token) {
            done.run();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            System.err.println("chaos: subscribe failed: " + exception);
        }
    }
}
