package io.tether.runtime.kafka;

import io.tether.contract.Headers;
import io.tether.contract.KafkaHeaders;
import io.tether.contract.Topics;
import io.tether.runtime.failure.Failures;
import java.util.concurrent.CompletableFuture;
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

    /**
     * Completes when the broker has the dead letter; only then may the record's offset be committed. A dead letter the
     * broker can never take as it is (too large for the dead-letter topic) is written without its value and headers,
     * naming where the record is ({@code tether-dlq-source}: topic-partition@offset) so it can be read from there;
     * otherwise its partition could never commit past it again.
     */
    public CompletionStage<Void> send(ConsumerRecord<String, byte[]> in, String reason) {
        LOG.warnf("dead-lettering %s-%d@%d: %s", in.topic(), in.partition(), in.offset(), reason);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, in.key(), in.value(),
                new RecordHeaders(in.headers().toArray()));
        KafkaHeaders.put(record.headers(), Headers.DLQ_REASON, in.topic() + ": " + reason);
        return KafkaSend.send(producer, record)
                .exceptionallyCompose(error -> Failures.isPermanent(error) ? KafkaSend.send(producer, standIn(in, reason, error))
                        : CompletableFuture.failedFuture(error))
                .thenRun(() -> onSent.run());
    }

    private ProducerRecord<String, byte[]> standIn(ConsumerRecord<String, byte[]> in, String reason, Throwable refusal) {
        String source = in.topic() + "-" + in.partition() + "@" + in.offset();
        LOG.errorf("dead letter of %s refused (%s): writing one without its value; the record stays in %s until its retention",
                source, Failures.reason(refusal), in.topic());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, in.key(), null, new RecordHeaders());
        KafkaHeaders.put(record.headers(), Headers.DLQ_REASON, in.topic() + ": " + reason + " (value not kept: "
                + Failures.reason(refusal) + ")");
        KafkaHeaders.put(record.headers(), Headers.DLQ_SOURCE, source);
        return record;
    }
}
