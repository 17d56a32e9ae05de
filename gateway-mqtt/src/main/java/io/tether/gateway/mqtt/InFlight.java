package io.tether.gateway.mqtt;

/** A delivery sent to the device and awaiting its PUBACK. */
record InFlight(int packetId, String messageId, long sentAtNanos, long timerId) {
}
