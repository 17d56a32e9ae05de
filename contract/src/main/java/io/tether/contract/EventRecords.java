package io.tether.contract;

import org.apache.kafka.clients.producer.ProducerRecord;

/** {@link TetherEvent}s as records of {@link Topics#EVENTS}: keyed by device, id and type in headers, JSON value. */
public final class EventRecords {
    private EventRecords() {
    }

    public static ProducerRecord<String, byte[]> of(TetherEvent event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.EVENTS, event.deviceId(), Json.toBytes(event));
        KafkaHeaders.put(record.headers(), Headers.EVENT_ID, event.id());
        KafkaHeaders.put(record.headers(), Headers.EVENT_TYPE, event.type());
        return record;
    }
}
