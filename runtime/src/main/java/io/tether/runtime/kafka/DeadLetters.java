package io.tether.runtime.kafka;

import io.tether.contract.Headers;
import io.tether.contract.KafkaHeaders;
import io.tether.contract.Topics;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

/** Writes records that can never be handled to the dead-letter topic, as they came, with the reason in a header. */
public final class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private volatile Runnable onSent = () -> { };

    public DeadLetters(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public DeadLetters(Producer<String, byte[]> producer) {
        this(producer, Topics.DLQ);
    }

    /** Runs after each dead letter the broker took (a metric). */
    public DeadLetters onSent(Runnable listener) {
        this.onSent = listener;
        return this;
    }

    /** Completes when the broker has the dead letter; only then may the record's offset be committed. */
    public CompletionStage<Void> send(ConsumerRecord<String, byte[]> in, String reason) {
        LOG.warnf("dead-lettering %s-%d@%d: %s", in.topic(), in.partition(), in.offset(), reason);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, in.key(), in.value(),
                new RecordHeaders(in.headers().toArray()));
        KafkaHeaders.put(record.headers(), Headers.DLQ_REASON, in.topic() + ": " + reason);
        return KafkaSend.send(producer, record).thenRun(() -> onSent.run());
    }
}
