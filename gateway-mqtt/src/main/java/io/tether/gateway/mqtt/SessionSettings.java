package io.tether.gateway.mqtt;

import java.time.Duration;

/**
 * What every device session on this gateway is held to.
 *
 * @param ackTimeout       how long a delivery may wait for its PUBACK before the device counts as deaf
 * @param maxInflight      deliveries awaiting PUBACK at once (capped by the client's Receive Maximum)
 * @param maxPayloadBytes  largest PUBLISH payload accepted from a device
 * @param publishPerSecond sustained PUBLISH rate per connection
 * @param publishBurst     PUBLISHes allowed at once above the rate
 * @param limits           subscriptions, topics, will and what is on its way to Kafka
 */
public record SessionSettings(Duration ackTimeout, int maxInflight, int maxPayloadBytes, int publishPerSecond, int publishBurst,
        SessionLimits limits) {
}
