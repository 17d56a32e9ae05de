package io.tether.gateway.metrics;

import io.tether.contract.PresenceEvent;

/** What a connection reports to the metrics; {@link #NONE} until its CONNECT is accepted, so callers never check. */
public interface ConnectionMeter {
    ConnectionMeter NONE = new ConnectionMeter() {
        @Override
        public void presence(PresenceEvent.Kind kind) {
        }

        @Override
        public void ackLatency(long nanos, boolean accepted) {
        }

        @Override
        public void upstream() {
        }

        @Override
        public void upstreamFailed() {
        }

        @Override
        public void closed() {
        }
    };

    /** The connection reported a presence event. */
    void presence(PresenceEvent.Kind kind);

    /** A downstream delivery was acknowledged {@code nanos} after it was sent. */
    void ackLatency(long nanos, boolean accepted);

    /** The device PUBLISHed a message that goes upstream. */
    void upstream();

    /** What the device PUBLISHed (a message, a lifecycle signal, a push token) could not be stored. */
    void upstreamFailed();

    /** The connection ended; idempotent. */
    void closed();
}
