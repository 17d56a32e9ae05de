package io.tether.chaos.device;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
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
final class Paho5Device extends PahoDevice implements MqttCallback {
    private final MqttAsyncClient client;

    private Paho5Device(Credentials device, MqttAsyncClient client, Listener listener) {
        super(device, listener);
        this.client = client;
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
            app.connect(timeout, () -> client.connect(options).waitForCompletion(6000));
            return app;
        } catch (MqttException e) {
            throw new IllegalStateException("cannot create an MQTT 5 client for " + device.id(), e);
        }
    }

    @Override
    void subscribe(String filter) {
        try {
            client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)}, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    subscribed();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable exception) {
                    System.err.println("chaos: " + id() + " subscribe failed: " + exception);
                }
            }, new MqttProperties());
        } catch (MqttException e) {
            System.err.println("chaos: " + id() + " cannot subscribe: " + e);
        }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        connected(serverURI);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        lost();
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        System.err.println("chaos: " + id() + " MQTT error: " + exception);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        arrived(message.getPayload());
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
            client.close(true);
        } catch (MqttException ignored) {
            // Going away either way.
        }
    }
}
