package io.tether.runtime.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Exposes the Kafka clients' own metrics (consumer lag, fetch and produce rates, ...) through Micrometer:
 * {@code kafka_consumer_fetch_manager_records_lag{client_id,topic,partition}},
 * {@code kafka_consumer_fetch_manager_records_lag_max}, {@code kafka_producer_*}. The services build plain
 * {@code KafkaConsumer}/{@code KafkaProducer}s, which Quarkus' Kafka binder does not see, so they are bound here.
 * Kafka creates per-partition metrics only once a partition is assigned; they are picked up on the next refresh.
 */
public final class KafkaClientMeters implements AutoCloseable {
    /** How often newly created Kafka metrics (a partition assigned later) are looked for. */
    public static final Duration REFRESH = Duration.ofSeconds(10);

    private final MeterRegistry registry;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tether-kafka-meters");
        thread.setDaemon(true);
        return thread;
    });
    private final List<KafkaClientMetrics> bound = new ArrayList<>();

    public KafkaClientMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public synchronized void bind(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
        add(new KafkaClientMetrics(consumer, Tags.empty(), scheduler, REFRESH));
    }

    public synchronized void bind(org.apache.kafka.clients.producer.Producer<?, ?> producer) {
        add(new KafkaClientMetrics(producer, Tags.empty(), scheduler, REFRESH));
    }

    private void add(KafkaClientMetrics metrics) {
        metrics.bindTo(registry);
        bound.add(metrics);
    }

    @Override
    public synchronized void close() {
        bound.forEach(KafkaClientMetrics::close);
        bound.clear();
        scheduler.shutdownNow();
    }
}
