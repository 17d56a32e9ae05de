package io.tether.contract;

/**
 * Kafka topic names. Records about one device are keyed by its device id everywhere, so presence,
 * routing and receipts for a device are handled in order by one consumer.
 */
public final class Topics {
    /** What devices publish; backends consume it. Key: device id. Value: the MQTT payload, untouched. */
    public static final String UPSTREAM = "tether.upstream";
    /** Messages accepted by the REST API. Key: the target. Value: the payload, metadata in headers. */
    public static final String DOWNSTREAM = "tether.downstream";
    /** {@link PresenceEvent}s from the gateways. Key: device id. */
    public static final String PRESENCE = "tether.presence";
    /** {@link Receipt}s: what became of a delivery handed to a gateway. Key: device id. */
    public static final String RECEIPTS = "tether.receipts";
    /** Push requests for push-service. Key: device id. */
    public static final String PUSH = "tether.push";
    /**
     * {@link TetherEvent}s for backends: per-device message status changes and settled presence changes, keyed by
     * device id (so one device's events are in order), event type in the {@code tether-event-type} header. Produced
     * by fanout and the gateways after their Redis write; read by webhook-service and by any backend.
     */
    public static final String EVENTS = "tether.events";
    /** Records that could not be processed, with the reason in a header. */
    public static final String DLQ = "tether.dlq";

    private Topics() {
    }
}
