package io.tether.gateway.mqtt;

/**
 * What one connection has on its way to Kafka: QoS 1 PUBLISHes awaiting the gateway's PUBACK (at most the Receive
 * Maximum CONNACK announced) and the payload bytes of every PUBLISH not yet written (QoS 0 included), so a device
 * cannot make the gateway hold more of its data than that while Kafka is slow. Event-loop confined.
 */
final class UpstreamBudget {
    /** Whether a PUBLISH fits. */
    enum Verdict { TAKEN, INFLIGHT_EXCEEDED, BYTES_EXCEEDED }

    private final int maxInflight;
    private final long maxBytes;
    private int inflight;
    private long bytes;

    UpstreamBudget(int maxInflight, long maxBytes) {
        this.maxInflight = maxInflight;
        this.maxBytes = maxBytes;
    }

    /** Takes room for a PUBLISH ({@code acknowledged}: QoS 1 or 2) of {@code size} payload bytes, if there is room. */
    Verdict take(boolean acknowledged, int size) {
        if (acknowledged && inflight >= maxInflight) {
            return Verdict.INFLIGHT_EXCEEDED;
        }
        // One PUBLISH alone always fits: the payload limit bounds it, and a device must be able to send it.
        if (bytes > 0 && bytes + size > maxBytes) {
            return Verdict.BYTES_EXCEEDED;
        }
        if (acknowledged) {
            inflight++;
        }
        bytes += size;
        return Verdict.TAKEN;
    }

    /**
     * Takes room for a PUBLISH beyond the budget: one an MQTT 3.1.1 client sent before reading from it stopped (it
     * cannot be refused without closing the connection; the stop bounds how many there are).
     */
    void force(boolean acknowledged, int size) {
        if (acknowledged) {
            inflight++;
        }
        bytes += size;
    }

    /** Whether the next PUBLISH may not fit: reading from an MQTT 3.1.1 client stops until there is room again. */
    boolean full() {
        return inflight >= maxInflight || bytes >= maxBytes;
    }

    /** The PUBLISH is written (or failed): its room is free again. */
    void release(boolean acknowledged, int size) {
        if (acknowledged) {
            inflight--;
        }
        bytes -= size;
    }

    int inflight() {
        return inflight;
    }

    long bytes() {
        return bytes;
    }
}
