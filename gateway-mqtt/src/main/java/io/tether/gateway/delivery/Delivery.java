package io.tether.gateway.delivery;

import io.opentelemetry.context.Context;
import io.tether.inbox.HandOver;
import io.tether.inbox.InboxEntry;
import io.tether.runtime.tracing.TraceContext;

/**
 * One message the inbox handed to this gateway for one connection of a device.
 *
 * @param epoch     the connection epoch it is meant for; another connection of the device must not get it
 * @param expiresAt epoch millis after which it must not be delivered, 0 for never
 * @param trace     the trace context the PUBLISH to the device continues
 */
public record Delivery(String deviceId, String messageId, long epoch, String mqttTopic, byte[] payload,
        String contentType, long expiresAt, Context trace) {

    public static Delivery of(HandOver handOver, InboxEntry entry) {
        return new Delivery(handOver.deviceId(), entry.messageId(), handOver.epoch(), entry.mqttTopic(),
                entry.payload() == null ? new byte[0] : entry.payload(), entry.contentType(), entry.expiresAt(),
                TraceContext.fromTraceparent(entry.traceparent()));
    }

    public boolean isExpired(long nowMillis) {
        return expiresAt > 0 && nowMillis >= expiresAt;
    }
}
