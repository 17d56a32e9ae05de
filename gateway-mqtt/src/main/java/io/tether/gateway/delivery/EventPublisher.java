package io.tether.gateway.delivery;

import io.opentelemetry.context.Context;
import io.tether.contract.Headers;
import io.tether.contract.EventRecords;
import io.tether.contract.Json;
import io.tether.contract.KafkaHeaders;
import io.tether.contract.MessageProperties;
import io.tether.contract.PresenceEvent;
import io.tether.contract.TetherEvent;
import io.tether.contract.Topics;
import io.tether.runtime.failure.Retry;
import io.tether.runtime.kafka.KafkaSend;
import io.tether.runtime.tracing.MessagingSpans;
import io.tether.runtime.tracing.TraceContext;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Everything the gateway writes to Kafka: upstream publishes and presence events, keyed by device id so that they stay
 * in order per device. A returned stage completes when the broker acknowledged the record ({@code acks=all}), which is
 * what a QoS 1 PUBACK and a CONNACK wait for. Presence events nobody waits for are retried until Kafka has them: a
 * lost DISCONNECTED would leave a gone device LIVE.
 */
public final class EventPublisher {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final Producer<String, byte[]> producer;
    private final Producer<String, byte[]> eventsProducer;
    private final String gatewayId;
    private final MessagingSpans spans;
    private final Retry retry;
    private final Consumer<PresenceEvent> presenceWritten;

    public EventPublisher(Producer<String, byte[]> producer, String gatewayId, MessagingSpans spans, Retry retry) {
        this(producer, producer, gatewayId, spans, retry, event -> { });
    }

    /**
     * @param eventsProducer writes {@code tether.events}, which nobody waits for: it may linger to batch them
     * @param presenceWritten hears of each presence event once the broker acknowledged it
     */
    public EventPublisher(Producer<String, byte[]> producer, Producer<String, byte[]> eventsProducer, String gatewayId,
            MessagingSpans spans, Retry retry, Consumer<PresenceEvent> presenceWritten) {
        this.spans = spans;
        this.producer = producer;
        this.eventsProducer = eventsProducer;
        this.gatewayId = gatewayId;
        this.retry = retry;
        this.presenceWritten = presenceWritten;
    }

    /** One upstream MQTT PUBLISH without a trace of its own (a will): it continues its {@code traceparent}, if any. */
    public CompletionStage<Void> upstream(UpstreamMessage message) {
        return upstream(message, TraceContext.fromTraceparent(message.traceparent()));
    }

    /**
     * One upstream MQTT PUBLISH; the payload goes to Kafka untouched, what the device set for backends in headers
     * ({@link MessageProperties}). The record's {@code traceparent} header is that of its {@code send} span, a child of
     * {@code trace}, so backends consuming it continue the device's trace.
     */
    public CompletionStage<Void> upstream(UpstreamMessage message, Context trace) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.UPSTREAM, message.deviceId(), message.payload());
        KafkaHeaders.put(record.headers(), Headers.MESSAGE_ID, message.messageId());
        KafkaHeaders.put(record.headers(), Headers.MQTT_TOPIC, message.mqttTopic());
        KafkaHeaders.put(record.headers(), Headers.QOS, Integer.toString(message.qos()));
        KafkaHeaders.put(record.headers(), Headers.CONTENT_TYPE, message.contentType());
        KafkaHeaders.put(record.headers(), Headers.GATEWAY_ID, gatewayId);
        MessageProperties.writeTo(record.headers(), message.properties());
        return spans.send(producer, record, trace);
    }

    /** A presence event someone waits for (CONNACK, the PUBACK of a lifecycle signal): one attempt. */
    public CompletionStage<Void> presence(PresenceEvent event) {
        return KafkaSend.send(producer, new ProducerRecord<>(Topics.PRESENCE, event.deviceId(), Json.toBytes(event)))
                .thenRun(() -> presenceWritten.accept(event));
    }

    /** A presence event nobody waits for: written for as long as it takes. */
    public void presenceEventually(PresenceEvent event) {
        retry.whileTransient("presence " + event.kind() + " of " + event.deviceId(), () -> presence(event))
                .exceptionally(error -> {
                    LOG.warnf("presence %s of %s not written: %s", event.kind(), event.deviceId(), error.toString());
                    return null;
                });
    }

    /**
     * A status change for backends ({@code tether.events}), after the Redis write that made it: written for as long as
     * it takes. A crash before Kafka has it loses this event (the status itself is in Redis).
     */
    public void eventEventually(TetherEvent event) {
        retry.whileTransient("event " + event.type() + " of " + event.deviceId(), () -> KafkaSend.send(eventsProducer, EventRecords.of(event)))
                .exceptionally(error -> {
                    LOG.warnf("event %s of %s not written: %s", event.id(), event.deviceId(), error.toString());
                    return null;
                });
    }

    public String gatewayId() {
        return gatewayId;
    }
}
