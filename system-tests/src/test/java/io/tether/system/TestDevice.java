package io.tether.system;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A device as a real MQTT 5 client (HiveMQ client) over a real socket. */
public final class TestDevice implements AutoCloseable {
    private final Api.Device device;
    private final Mqtt5AsyncClient client;
    private final LinkedBlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();

    private TestDevice(Api.Device device, Mqtt5AsyncClient client) {
        this.device = device;
        this.client = client;
    }

    /** Connects with the device's credentials and subscribes to {@code devices/<id>/#}. */
    public static TestDevice connect(Api.Device device, int mqttPort) {
        return connect(device, mqttPort, 30);
    }

    /** As {@link #connect(Api.Device, int)}, with an MQTT keepalive of {@code keepAliveSeconds}. */
    public static TestDevice connect(Api.Device device, int mqttPort, int keepAliveSeconds) {
        Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5()
                .identifier(device.id())
                .serverHost("127.0.0.1")
                .serverPort(mqttPort)
                .buildAsync();
        client.connectWith()
                .cleanStart(true)
                .keepAlive(keepAliveSeconds)
                .simpleAuth().username(device.username()).password(device.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .send().orTimeout(10, TimeUnit.SECONDS).join();
        TestDevice testDevice = new TestDevice(device, client);
        client.subscribeWith()
                .topicFilter("devices/" + device.id() + "/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(testDevice.received::add)
                .send().orTimeout(10, TimeUnit.SECONDS).join();
        return testDevice;
    }

    /**
     * Subscribes to one more filter (QoS 1); what arrives on it is received like the rest. False when the gateway
     * refused it (SUBACK with a failure code).
     */
    public boolean subscribe(String filter) {
        try {
            return client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).callback(received::add)
                    .send().orTimeout(10, TimeUnit.SECONDS).join()
                    .getReasonCodes().stream().noneMatch(code -> code.isError());
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException) {
                return false;
            }
            throw e;
        }
    }

    public String id() {
        return device.id();
    }

    public Mqtt5AsyncClient client() {
        return client;
    }

    /** The next message delivered to the device, waiting up to {@code timeout}. */
    public Optional<Mqtt5Publish> next(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    public static String text(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    public static Optional<String> userProperty(Mqtt5Publish publish, String name) {
        return publish.getUserProperties().asList().stream()
                .filter(p -> p.getName().toString().equals(name))
                .map(p -> p.getValue().toString())
                .findFirst();
    }

    /** Publishes with QoS 1; completes when the gateway's PUBACK arrived. */
    public void publish(String topic, byte[] payload) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Tells Tether the app changed lifecycle state ({@code background} or {@code foreground}). */
    public void lifecycle(String state) {
        publish("$tether/lifecycle", state.getBytes(StandardCharsets.UTF_8));
    }

    /** All messages received so far, without waiting. */
    public java.util.List<Mqtt5Publish> drain() {
        java.util.List<Mqtt5Publish> out = new java.util.ArrayList<>();
        received.drainTo(out);
        return out;
    }

    @Override
    public void close() {
        if (client.getState().isConnected()) {
            client.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }
}
