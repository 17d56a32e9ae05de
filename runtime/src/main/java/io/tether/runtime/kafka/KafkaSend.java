package io.tether.runtime.kafka;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** {@link Producer#send} as a future that completes when the broker acknowledged the record. */
public final class KafkaSend {
    private KafkaSend() {
    }

    public static <K, V> CompletableFuture<Void> send(Producer<K, V> producer, ProducerRecord<K, V> record) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(null);
                }
            });
        } catch (Throwable e) {
            // send() throws synchronously for serialization errors and when it cannot get metadata in max.block.ms.
            // Whatever it throws fails the future instead of escaping: callers handle failures on the future only.
            done.completeExceptionally(e);
        }
        return done;
    }
}
