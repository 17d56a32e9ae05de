package io.tether.chaos.device;

import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A device on Eclipse Paho's MQTT 3.1.1 client with automatic reconnect (backoff from 1 s up to 2 s). */
final class Paho3Device extends PahoDevice implements MqttCallbackExtended {
    private final MqttAsyncClient client;

    private Paho3Device(Credentials device, MqttAsyncClient client, Listener listener) {
        super(device, listener);
        this.client = client;
    }

    static Paho3Device start(Credentials device, List<String> uris, Listener listener, Duration timeout) {
        try {
            MqttAsyncClient client = new MqttAsyncClient(uris.get(0), device.id(), new MemoryPersistence());
            Paho3Device app = new Paho3Device(device, client, listener);
            client.setCallback(app);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setServerURIs(uris.toArray(String[]::new));
            options.setUserName(device.username());
            options.setPassword(device.password().toCharArray());
            options.setCleanSession(true);
            options.setKeepAliveInterval(10);
            options.setConnectionTimeout(5);
            options.setMaxInflight(1000);
            options.setAutomaticReconnect(true);
            options.setMaxReconnectDelay(2000);
            app.connect(timeout, () -> client.connect(options).waitForCompletion(6000));
            return app;
        } catch (MqttException e) {
            throw new IllegalStateException("cannot create an MQTT 3.1.1 client for " + device.id(), e);
        }
    }

    @Override
    void subscribe(String filter) {
        try {
            client.subscribe(filter, 1, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    subscribed();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable exception) {
                    System.err.println("chaos: " + id() + " subscribe failed: " + exception);
                }
            });
        } catch (MqttException e) {
            System.err.println("chaos: " + id() + " cannot subscribe: " + e);
        }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        connected(serverURI);
    }

    @Override
    public void connectionLost(Throwable cause) {
        lost();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        arrived(message.getPayload());
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
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
