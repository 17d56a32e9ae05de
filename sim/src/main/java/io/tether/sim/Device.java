package io.tether.sim;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;

/**
 * One simulated device: the app's MQTT 5 client (HiveMQ's), connected with its device id and password, with a persistent
 * session (clean start off, an hour's expiry) as the README's Swift sample uses it. Its connection goes through a
 * {@link Relay} when the case needs to freeze, cut or lose the socket. Prints what it receives and how it was cut off.
 */
final class Device implements AutoCloseable {
    static final long SESSION_EXPIRY_SECONDS = 3600;

    private final String id;
    private final String password;
    private final String name;
    private final Out out;
    private final TrustManagerFactory trust;
    private final LinkedBlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
    private final boolean acknowledge;
    private Mqtt5AsyncClient client;
    private Relay relay;

    /** @param acknowledge false for a deaf app that reads its socket but never answers (crowd runs) */
    Device(Api.Registered registered, String name, Out out, TrustManagerFactory trust, boolean acknowledge) {
        this.id = registered.id();
        this.password = registered.password();
        this.name = name;
        this.out = out;
        this.trust = trust;
        this.acknowledge = acknowledge;
    }

    String id() {
        return id;
    }

    String topic() {
        return "devices/" + id + "/#";
    }

    /**
     * Opens a new connection (the previous one, if any, is left as it is: a phone that moved networks), directly or
     * through a relay; returns whether Tether resumed the session.
     */
    boolean connect(Endpoint endpoint, boolean relayed, boolean cleanStart) {
        Relay viaRelay = relayed ? Relay.to(endpoint.host(), endpoint.port()) : null;
        Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5()
                .identifier(id)
                .serverHost(relayed ? "127.0.0.1" : endpoint.host())
                .serverPort(relayed ? viaRelay.port() : endpoint.port())
                .addDisconnectedListener(context -> {
                    if (context.getSource() == MqttDisconnectSource.SERVER) {
                        cutOff(context.getCause());
                    }
                });
        if (endpoint.tls()) {
            var ssl = builder.sslConfig().protocols(List.of("TLSv1.3", "TLSv1.2"));
            if (trust != null) {
                ssl = ssl.trustManagerFactory(trust);
            }
            if (relayed) {
                // Through the relay the client talks to 127.0.0.1, which the certificate need not name: the chain is
                // still checked against the trusted CA, only the name check is left out.
                ssl = ssl.hostnameVerifier((host, session) -> true);
            }
            builder = ssl.applySslConfig();
        }
        if (endpoint.webSocket()) {
            builder = builder.webSocketConfig().serverPath(endpoint.path().substring(1)).applyWebSocketConfig();
        }
        Mqtt5AsyncClient next = builder.buildAsync();
        next.publishes(MqttGlobalPublishFilter.ALL, this::onPublish, !acknowledge);
        Mqtt5ConnAck ack = next.connectWith()
                .cleanStart(cleanStart)
                .sessionExpiryInterval(SESSION_EXPIRY_SECONDS)
                .keepAlive(30)
                .simpleAuth().username(id).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .send().orTimeout(15, TimeUnit.SECONDS).join();
        client = next;
        relay = viaRelay;
        out.event(name, "connected to " + endpoint + (relayed ? " (through a relay)" : "") + ", session present: "
                + (ack.isSessionPresent() ? "yes" : "no") + ack.getServerKeepAlive().stream().mapToObj(k -> ", server keepalive " + k + " s")
                .collect(Collectors.joining()));
        return ack.isSessionPresent();
    }

    void subscribe() {
        client.subscribeWith().topicFilter(topic()).qos(MqttQos.AT_LEAST_ONCE).send().orTimeout(10, TimeUnit.SECONDS).join();
        out.event(name, "subscribed to " + topic() + " (QoS 1)");
    }

    /** Publishes QoS 1 and waits for the PUBACK (Tether answers it once the message is durable). */
    void publish(String topic, String payload) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(StandardCharsets.UTF_8))
                .send().orTimeout(10, TimeUnit.SECONDS).join();
        out.event(name, "→ " + topic + " " + payload);
    }

    void lifecycle(String state) {
        publish("$tether/lifecycle", state);
    }

    void reportPushToken(String hex) {
        publish("$tether/push-token", "{\"token\":\"" + hex + "\",\"environment\":\"sandbox\"}");
    }

    private void onPublish(Mqtt5Publish publish) {
        received.add(publish);
        String messageId = publish.getUserProperties().asList().stream().filter(p -> p.getName().toString().equals("tether-message-id"))
                .map(p -> p.getValue().toString()).findFirst().orElse("?");
        out.event(name, "← " + publish.getTopic() + " \"" + new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8) + "\" ("
                + messageId + publish.getMessageExpiryInterval().stream().mapToObj(s -> ", expires in " + s + " s").collect(Collectors.joining())
                + (acknowledge ? "" : ", not acknowledged: deaf") + ")");
    }

    /** Tether ended the connection (a DISCONNECT with its reason) or the socket went. */
    private void cutOff(Throwable cause) {
        if (cause instanceof Mqtt5DisconnectException disconnect) {
            Mqtt5Disconnect packet = disconnect.getMqttMessage();
            out.event(name, "DISCONNECT from Tether: 0x" + Integer.toHexString(packet.getReasonCode().getCode()) + " "
                    + packet.getReasonCode() + packet.getReasonString().map(r -> " \"" + r + "\"").orElse(""));
        }
    }

    /** The next message received within {@code timeout}. */
    Optional<Mqtt5Publish> next(Duration timeout) {
        try {
            return Optional.ofNullable(received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The app is suspended: its socket stays open and nothing reads it. */
    void freeze() {
        relay.freeze();
        out.event(name, "suspended: the socket stays open, nothing reads it");
    }

    void thaw() {
        relay.thaw();
        out.event(name, "back in the foreground: the socket is read again");
    }

    /** Defunct with a FIN. */
    void cut() {
        relay.cut();
        out.event(name, "socket closed (FIN reaches Tether)");
    }

    /** Defunct without a FIN: the app lost its socket, Tether's end stays open. */
    void vanish() {
        relay.vanish();
        out.event(name, "socket gone without a FIN: Tether's end stays open and unread");
    }

    /** A clean DISCONNECT (the session stays for its expiry). */
    void disconnect() {
        if (client != null && client.getState().isConnected()) {
            client.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
            out.event(name, "disconnected cleanly");
        }
    }

    /** Forgets the current connection without ending it (the next {@link #connect} opens another one). */
    Relay detach() {
        Relay previous = relay;
        relay = null;
        client = null;
        return previous;
    }

    @Override
    public void close() {
        if (client != null && client.getState().isConnected()) {
            client.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        if (relay != null) {
            relay.close();
        }
    }
}
