package io.tether.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.contract.Headers;
import io.tether.contract.KafkaHeaders;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
    private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final DeadLetters deadLetters = new DeadLetters(producer, "dlq");
    private final ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("tether.push", 3, 42, "dev-1", new byte[] {1, 2, 3});

    @Test
    void aRecordIsDeadLetteredAsItCameWithTheReason() throws Exception {
        CompletableFuture<Void> sent = deadLetters.send(record, "malformed").toCompletableFuture();
        producer.completeNext();
        sent.get(5, TimeUnit.SECONDS);

        assertArrayEquals(new byte[] {1, 2, 3}, producer.history().get(0).value());
        assertEquals("tether.push: malformed", KafkaHeaders.get(producer.history().get(0).headers(), Headers.DLQ_REASON).orElseThrow());
    }

    @Test
    void aDeadLetterTheBrokerCanNeverTakeIsWrittenWithoutItsValueNamingWhereTheRecordIs() throws Exception {
        CompletableFuture<Void> sent = deadLetters.send(record, "malformed").toCompletableFuture();
        producer.errorNext(new RecordTooLargeException("too large for dlq"));
        assertTrue(waitForSends(2), "a stand-in follows the refused dead letter");
        producer.completeNext();
        sent.get(5, TimeUnit.SECONDS);

        var standIn = producer.history().get(1);
        assertEquals("dev-1", standIn.key());
        assertNull(standIn.value());
        assertEquals("tether.push-3@42", KafkaHeaders.get(standIn.headers(), Headers.DLQ_SOURCE).orElseThrow());
        assertTrue(KafkaHeaders.get(standIn.headers(), Headers.DLQ_REASON).orElseThrow().startsWith("tether.push: malformed (value not kept"));
    }

    /** The producer's send history reaches {@code count} (the stand-in is sent from the failed send's callback). */
    private boolean waitForSends(int count) {
        return io.tether.testkit.Poll.until(java.time.Duration.ofSeconds(5), java.time.Duration.ofMillis(5),
                () -> producer.history().size() >= count);
    }
}
