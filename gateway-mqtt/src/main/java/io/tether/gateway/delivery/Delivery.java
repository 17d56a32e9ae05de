package io.tether.gateway.delivery;

import io.opentelemetry.context.Context;
import io.tether.contract.MessageProperties;
import io.tether.inbox.HandOver;
import io.tether.inbox.InboxEntry;
import io.tether.runtime.tracing.TraceContext;

/**
 * One message the inbox handed to this gateway for one connection of a device.
 *
 * @param epoch     the connection epoch it is meant for; another connection of the device must not get it
 * @param acceptedAt epoch millis when fanout accepted it (fanout's clock), 0 when unknown
 * @param expiresAt epoch millis after which it must not be delivered, 0 for never
 * @param trace     the trace context the PUBLISH to the device continues
 * @param properties MQTT 5 user properties, Response Topic and Correlation Data the backend set, or null
 */
public record Delivery(String deviceId, String messageId, long epoch, String mqttTopic, byte[] payload,
        String contentType, long acceptedAt, long expiresAt, Context trace, MessageProperties properties) {

    public static Delivery of(HandOver handOver, InboxEntry entry) {
        return new Delivery(handOver.deviceId(), entry.messageId(), handOver.epoch(), entry.mqttTopic(),
                entry.payload() == null ? new byte[0] : entry.payload(), entry.contentType(), entry.acceptedAt(), entry.expiresAt(),
                TraceContext.fromTraceparent(entry.traceparent()), entry.properties());
    }

    /** Whole seconds left before it expires, at least 1 (MQTT 5 Message Expiry Interval); 0 when it never expires. */
    public long secondsLeft(long nowMillis) {
        return expiresAt <= 0 ? 0 : Math.max(1, (expiresAt - nowMillis + 999) / 1000);
    }

    public boolean isExpired(long nowMillis) {
        return expiresAt > 0 && nowMillis >= expiresAt;
    }
}
