package io.tether.bench.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;

/**
 * How one client connects.
 *
 * @param port            broker port on 127.0.0.1
 * @param clientId        MQTT client id (Tether: the device id)
 * @param username        user name, or null
 * @param password        password, or null
 * @param mqtt5           MQTT 5 (true) or 3.1.1
 * @param cleanStart      clean start / clean session
 * @param sessionExpiry   MQTT 5 session expiry interval in seconds (0: session ends with the connection)
 * @param keepAlive       keepalive in seconds (the client pings at half of it)
 * @param subscribeFilter a QoS 1 subscription made right after CONNACK, or null
 */
public record ConnectSpec(int port, String clientId, String username, String password, boolean mqtt5, boolean cleanStart,
        int sessionExpiry, int keepAlive, String subscribeFilter) {

    public ConnectSpec withSubscription(String filter) {
        return new ConnectSpec(port, clientId, username, password, mqtt5, cleanStart, sessionExpiry, keepAlive, filter);
    }

    public ConnectSpec withSession(boolean clean, int expirySeconds) {
        return new ConnectSpec(port, clientId, username, password, mqtt5, clean, expirySeconds, keepAlive, subscribeFilter);
    }

    public ConnectSpec withPort(int newPort) {
        return new ConnectSpec(newPort, clientId, username, password, mqtt5, cleanStart, sessionExpiry, keepAlive, subscribeFilter);
    }

    /** The CONNECT packet this spec sends. */
    MqttConnectMessage connectMessage() {
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
                .protocolVersion(mqtt5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1)
                .clientId(clientId)
                .cleanSession(cleanStart)
                .keepAlive(keepAlive);
        if (username != null) {
            connect.hasUser(true).username(username);
        }
        if (password != null) {
            connect.hasPassword(true).password(password.getBytes(StandardCharsets.UTF_8));
        }
        if (mqtt5 && sessionExpiry > 0) {
            MqttProperties props = new MqttProperties();
            props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(),
                    sessionExpiry));
            connect.properties(props);
        }
        return connect.build();
    }
}
