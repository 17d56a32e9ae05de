package io.tether.system;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A device as Eclipse Paho's MQTT 5 client (a second third-party client next to HiveMQ's): it keeps what arrives (with
 * or without a subscription of this connection) and how the server ended the connection. Subscribe with
 * {@code client().subscribe(filter, qos)}: Paho 1.2.5's subscribe with a listener recurses forever.
 */
record PahoV5(MqttClient client, CompletableFuture<MqttDisconnectResponse> ended, LinkedBlockingQueue<String> received) {

    /** Connects with the device's credentials, clean start off and an expiry of 600 s; {@code tweak} changes the options. */
    static PahoV5 connect(String serverUri, Api.Device device, Consumer<MqttConnectionOptions> tweak) throws MqttException {
        MqttClient client = new MqttClient(serverUri, device.id(), new MemoryPersistence());
        CompletableFuture<MqttDisconnectResponse> ended = new CompletableFuture<>();
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                ended.complete(response);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(device.id());
        options.setPassword(device.password().getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(false);
        options.setSessionExpiryInterval(600L);
        options.setAutomaticReconnect(false);
        tweak.accept(options);
        client.connect(options);
        return new PahoV5(client, ended, received);
    }

    void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
