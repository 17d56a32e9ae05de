package io.tether.gateway.mqtt;

import java.time.Duration;

/**
 * What every device session on this gateway is held to.
 *
 * @param ackTimeout          how long a delivery may wait for its PUBACK before the device counts as deaf
 * @param maxInflight         deliveries awaiting PUBACK at once (capped by the client's Receive Maximum)
 * @param maxPayloadBytes     largest PUBLISH payload accepted from a device
 * @param publishPerSecond    sustained PUBLISH rate per connection
 * @param publishBurst        PUBLISHes allowed at once above the rate
 * @param maxSessionExpiry    longest a session is kept after its connection ends (MQTT 5 asks are capped to it; MQTT
 *                            3.1.1 with clean session off gets it)
 * @param maxKeepAliveSeconds longest keepalive an MQTT 5 client gets (a longer one, or none, is answered with Server
 *                            Keep Alive)
 * @param maxPacketSize       largest MQTT packet this gateway accepts (announced as Maximum Packet Size)
 * @param limits              subscriptions, topics, will and what is on its way to Kafka
 */
public record SessionSettings(Duration ackTimeout, int maxInflight, int maxPayloadBytes, int publishPerSecond, int publishBurst,
        Duration maxSessionExpiry, int maxKeepAliveSeconds, int maxPacketSize, SessionLimits limits) {
}
