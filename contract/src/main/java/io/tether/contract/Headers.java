package io.tether.contract;

/** Kafka record header names. Values are UTF-8 strings. */
public final class Headers {
    /** Tether message id; also sent to devices as the MQTT 5 user property of the same name. */
    public static final String MESSAGE_ID = "tether-message-id";
    /** The MQTT topic a record was published on, or is to be delivered on. */
    public static final String MQTT_TOPIC = "tether-mqtt-topic";
    /** MQTT QoS, "0" or "1". */
    public static final String QOS = "tether-qos";
    /** MIME type of the payload (MQTT 5 content type; REST payload type). */
    public static final String CONTENT_TYPE = "content-type";
    /** W3C trace context. */
    public static final String TRACEPARENT = "traceparent";
    /** Epoch milliseconds after which the message must not be delivered. */
    public static final String EXPIRES_AT = "tether-expires-at";
    /** Epoch milliseconds when the REST API accepted the message. */
    public static final String ACCEPTED_AT = "tether-accepted-at";
    /** Connection epoch a delivery is meant for (see DESIGN.md §4). */
    public static final String EPOCH = "tether-epoch";
    /** JSON {@link Target} of a downstream message. */
    public static final String TARGET = "tether-target";
    /** Sub-topic under {@code devices/<id>/} a downstream message is delivered on. */
    public static final String SUBTOPIC = "tether-subtopic";
    /** Collapse key of a downstream message (APNs collapse id). */
    public static final String COLLAPSE_KEY = "tether-collapse-key";
    /** JSON push options of a downstream message. */
    public static final String PUSH = "tether-push";
    /** Gateway instance a record came from. */
    public static final String GATEWAY_ID = "tether-gateway-id";
    /** Device a record concerns, where the key is not the device id. */
    public static final String DEVICE_ID = "tether-device-id";
    /** Id of a {@link TetherEvent} (the same for a re-sent duplicate), so consumers can drop what they have seen. */
    public static final String EVENT_ID = "tether-event-id";
    /** Type of a {@link TetherEvent}: {@code message.status} or {@code device.presence}. */
    public static final String EVENT_TYPE = "tether-event-type";
    /** Why a record was sent to the dead-letter topic. */
    public static final String DLQ_REASON = "tether-dlq-reason";
    /** On a dead letter written without its value (too large to keep): where the record is, topic-partition@offset. */
    public static final String DLQ_SOURCE = "tether-dlq-source";

    /**
     * Prefix of the headers that carry MQTT 5 user properties: a device's property {@code x-app-version} is the
     * header {@code mqtt-user-x-app-version} on {@code tether.upstream}; the same on {@code tether.downstream} for the
     * REST request's {@code properties}. A name may repeat, as MQTT allows.
     */
    public static final String USER_PROPERTY_PREFIX = "mqtt-user-";
    /** MQTT 5 Response Topic of a request (UTF-8). */
    public static final String RESPONSE_TOPIC = "mqtt-response-topic";
    /** MQTT 5 Correlation Data of a request or response: the raw bytes, not UTF-8. */
    public static final String CORRELATION_DATA = "mqtt-correlation-data";

    private Headers() {
    }
}
