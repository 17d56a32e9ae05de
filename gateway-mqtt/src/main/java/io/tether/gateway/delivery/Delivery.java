package io.tether.gateway.delivery;

import io.opentelemetry.context.Context;
import io.tether.contract.MessageProperties;
import io.tether.inbox.HandOver;
import io.tether.runtime.tracing.TraceContext;

/**
 * One message the inbox handed to this gateway for one connection of a device.
 *
 * @param epoch      the connection epoch it is meant for; another connection of the device must not get it
 * @param acceptedAt epoch millis when fanout accepted it (fanout's clock), 0 when unknown
 * @param expiresAt  epoch millis after which it must not be delivered, 0 for never
 * @param trace      the trace context the PUBLISH to the device continues
 * @param properties MQTT 5 user properties, Response Topic and Correlation Data the backend set, or null
 * @param packetId   the MQTT packet identifier its QoS 1 PUBLISH takes, whichever connection gets it; 0 when the
 *                   hand-over did not tell (the connection picks one)
 * @param sentBefore it was handed over before, so a gateway may have written it to the device already
 */
public record Delivery(String deviceId, String messageId, long epoch, String mqttTopic, byte[] payload,
        String contentType, long acceptedAt, long expiresAt, Context trace, MessageProperties properties, int packetId,
        boolean sentBefore) {

    /** MQTT packet identifiers are 1 to 65535. */
    static final int MAX_PACKET_ID = 65_535;

    /** A delivery handed over for the first time, its packet identifier left to the connection. */
    public Delivery(String deviceId, String messageId, long epoch, String mqttTopic, byte[] payload, String contentType, long acceptedAt,
            long expiresAt, Context trace, MessageProperties properties) {
        this(deviceId, messageId, epoch, mqttTopic, payload, contentType, acceptedAt, expiresAt, trace, properties, 0, false);
    }

    /** Entry {@code i} of the hand-over. */
    public static Delivery of(HandOver handOver, int i) {
        var entry = handOver.entries().get(i);
        return new Delivery(handOver.deviceId(), entry.messageId(), handOver.epoch(), entry.mqttTopic(),
                entry.payload() == null ? new byte[0] : entry.payload(), entry.contentType(), entry.acceptedAt(), entry.expiresAt(),
                TraceContext.fromTraceparent(entry.traceparent()), entry.properties(), packetId(handOver.sequence(i)),
                handOver.earlierAttempts(i) > 0);
    }

    /**
     * The packet identifier of the entry with inbox sequence number {@code sequence} (0 when unknown): the entry keeps its
     * number until it leaves the inbox, so every PUBLISH of it, on any connection and any gateway, carries the same
     * identifier, as MQTT asks of a PUBLISH sent again to a resumed session [MQTT-4.4.0-1]. Two entries awaiting a PUBACK
     * at once share one only when the older waited while 65535 others were queued; the connection then takes another.
     */
    static int packetId(long sequence) {
        return sequence <= 0 ? 0 : (int) ((sequence - 1) % MAX_PACKET_ID) + 1;
    }

    /** Whole seconds left before it expires, at least 1 (MQTT 5 Message Expiry Interval); 0 when it never expires. */
    public long secondsLeft(long nowMillis) {
        return expiresAt <= 0 ? 0 : Math.max(1, (expiresAt - nowMillis + 999) / 1000);
    }

    public boolean isExpired(long nowMillis) {
        return expiresAt > 0 && nowMillis >= expiresAt;
    }
}
