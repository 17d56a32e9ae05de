package io.tether.gateway.mqtt;

import io.opentelemetry.api.trace.Span;

/** A delivery sent to the device and awaiting its PUBACK. */
record InFlight(int packetId, String messageId, long sentAtNanos, long timerId, Span span) {
}
