package io.tether.webhook.app;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.contract.Topics;
import io.tether.runtime.failure.Backoff;
import io.tether.runtime.failure.Retry;
import io.tether.runtime.kafka.DeadLetters;
import io.tether.runtime.kafka.KafkaClientMeters;
import io.tether.runtime.kafka.KafkaClients;
import io.tether.runtime.kafka.KeyedConsumer;
import io.tether.runtime.kafka.TopicProvisioner;
import io.tether.runtime.quarkus.KafkaSettings;
import io.tether.runtime.quarkus.RedisSettings;
import io.tether.runtime.redis.ReplicaWait;
import io.tether.webhook.config.WebhookConfig;
import io.tether.webhook.delivery.DeliveryMetrics;
import io.tether.webhook.delivery.DeliveryQueues;
import io.tether.webhook.delivery.Dispatcher;
import io.tether.webhook.delivery.EventIntake;
import io.tether.webhook.delivery.RetrySchedule;
import io.tether.webhook.delivery.WebhookSender;
import io.tether.webhook.registry.DestinationCheck;
import io.tether.webhook.registry.WebhookDirectory;
import io.tether.webhook.registry.WebhookStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The Quarkus shell of webhook-service: the intake consumer ({@code tether.events} → webhook queues in Redis) and the
 * dispatcher (queues → receivers), both from config.
 */
@ApplicationScoped
public class WebhookApp {
    /** Longest wait for a webhook's host to resolve, at registration and before each attempt. */
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);

    private final WebhookConfig config;
    private final KafkaSettings kafka;
    private final RedisSettings redisSettings;
    private final StatefulRedisConnection<String, String> redis;
    private final DeliveryMetrics metrics;
    private final KafkaClientMeters kafkaMeters;
    private final WebhookDirectory directory;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread thread = new Thread(r, "tether-webhooks");
        thread.setDaemon(true);
        return thread;
    });
    // Host look-ups block: threads of their own, never an event loop. One look-up per host at a time (DestinationCheck),
    // so it takes this many hosts whose name servers hang at once to hold up the others' checks.
    private final ExecutorService lookups = Executors.newFixedThreadPool(8, r -> {
        Thread thread = new Thread(r, "tether-webhooks-dns");
        thread.setDaemon(true);
        return thread;
    });
    private final DestinationCheck destinations;
    private KafkaProducer<String, byte[]> producer;
    private KeyedConsumer intake;

    WebhookApp(WebhookConfig config, KafkaSettings kafka, RedisSettings redisSettings, StatefulRedisConnection<String, String> redis,
            MeterRegistry registry) {
        this.config = config;
        this.kafka = kafka;
        this.redisSettings = redisSettings;
        this.redis = redis;
        this.metrics = new DeliveryMetrics(registry);
        this.kafkaMeters = new KafkaClientMeters(registry);
        this.directory = new WebhookDirectory(webhookStore()::all);
        this.destinations = new DestinationCheck(config.allowPrivateDestinations(), InetAddress::getAllByName, lookups, LOOKUP_TIMEOUT);
    }

    void start(@Observes StartupEvent event) throws Exception {
        try (Admin admin = kafka.clients().admin()) {
            new TopicProvisioner(admin, kafka.layout()).ensure(Topics.EVENTS, Topics.DLQ);
        }
        producer = kafka.clients().durableProducer("tether-webhooks");
        KafkaClients.warmUp(producer, List.of(Topics.DLQ), Duration.ofSeconds(60));
        kafkaMeters.bind(producer);
        // Read before the first event is matched against them; should Redis not answer, the intake retries its events
        // until the dispatcher's next reads succeed.
        directory.refresh().toCompletableFuture().get(30, TimeUnit.SECONDS);

        Retry retry = new Retry(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> ThreadLocalRandom.current().nextDouble()),
                scheduler);
        EventIntake events = new EventIntake(directory, deliveryQueues(), redis.async(), metrics, System::currentTimeMillis);
        KafkaConsumer<String, byte[]> consumer = kafka.clients().groupConsumer(kafka.groupId().orElse("tether-webhooks"),
                "tether-webhooks-intake", KeyedConsumer.batchSize(config.maxIntakeInFlight()));
        kafkaMeters.bind(consumer);
        intake = new KeyedConsumer("tether-webhooks-intake", consumer, List.of(Topics.EVENTS), events::handle, new DeadLetters(producer),
                retry, config.maxIntakeInFlight())
                .beforeCommit(new ReplicaWait(redis, redisSettings.waitReplicas(), redisSettings.waitTimeout()));
        intake.start();

        WebhookConfig.Retry backoff = config.retry();
        Dispatcher dispatcher = new Dispatcher(directory, deliveryQueues(),
                new WebhookSender(WebhookSender.client(config.requestTimeout()), config.requestTimeout(), destinations),
                new RetrySchedule(backoff.initialBackoff(), backoff.maxBackoff(), backoff.giveUpAfter(), () -> ThreadLocalRandom.current().nextDouble()),
                metrics, config.maxInFlight(), config.lease().toMillis(), System::currentTimeMillis);
        long every = config.pollInterval().toMillis();
        scheduler.scheduleWithFixedDelay(dispatcher::tick, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (intake != null) {
            intake.stop();
        }
        scheduler.shutdownNow();
        lookups.shutdownNow();
        kafkaMeters.close();
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }

    boolean isConsuming() {
        return intake != null && intake.isRunning();
    }

    boolean isAlive() {
        return intake == null || intake.isAlive();
    }

    @Produces
    @Singleton
    WebhookDirectory webhookDirectory() {
        return directory;
    }

    @Produces
    @Singleton
    DestinationCheck destinationCheck() {
        return destinations;
    }

    @Produces
    @Singleton
    WebhookStore webhookStore() {
        return new WebhookStore(redis.async());
    }

    @Produces
    @Singleton
    DeliveryQueues deliveryQueues() {
        return new DeliveryQueues(redis.async(), config.logSize(), config.deadLetterSize(), config.maxQueuedPerDevice());
    }
}
