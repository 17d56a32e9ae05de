package io.tether.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaSendTest {

    /** A producer whose send() throws {@code thrown} instead of taking the record. */
    private static MockProducer<String, String> throwing(Throwable thrown) {
        return new MockProducer<String, String>(true, null, new StringSerializer(), new StringSerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
                if (thrown instanceof RuntimeException e) {
                    throw e;
                }
                throw (Error) thrown;
            }
        };
    }

    private static Throwable failureOf(CompletableFuture<Void> sent) {
        assertTrue(sent.isDone(), "the future must be complete when send() threw");
        ExecutionException e = assertThrows(ExecutionException.class, sent::get);
        return e.getCause();
    }

    @Test
    void anAcknowledgedRecordCompletesTheFuture() {
        MockProducer<String, String> producer = new MockProducer<String, String>(true, null, new StringSerializer(), new StringSerializer());
        CompletableFuture<Void> sent = KafkaSend.send(producer, new ProducerRecord<>("t", "k", "v"));
        assertTrue(sent.isDone() && !sent.isCompletedExceptionally());
    }

    @Test
    void anExceptionThrownBySendFailsTheFuture() {
        IllegalStateException thrown = new IllegalStateException("no metadata within max.block.ms");
        assertSame(thrown, failureOf(KafkaSend.send(throwing(thrown), new ProducerRecord<>("t", "k", "v"))));
    }

    /**
     * An Error thrown by send() escaped to the caller instead of failing the future; a caller that handles failures
     * on the future only (a callback on an event loop) then never answered.
     */
    @Test
    void anErrorThrownBySendFailsTheFutureToo() {
        StackOverflowError thrown = new StackOverflowError();
        Throwable failure = failureOf(KafkaSend.send(throwing(thrown), new ProducerRecord<>("t", "k", "v")));
        assertInstanceOf(StackOverflowError.class, failure);
        assertSame(thrown, failure);
    }
}
