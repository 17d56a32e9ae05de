package io.tether.push.pipeline;

import io.tether.runtime.failure.Backoff;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.tether.push.apns.AppCatalog;
import io.tether.push.apns.ApnsApp;
import io.tether.push.apns.ApnsClients;
import io.tether.runtime.failure.Retry;
import io.tether.runtime.kafka.DeadLetters;
import io.tether.runtime.kafka.KeyedConsumer;
import java.util.List;
import org.jboss.logging.Logger;
import io.tether.runtime.tracing.MessagingSpans;
import io.tether.push.device.DeviceStore;
import io.tether.pushoptions.NotificationFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * push-service without its Quarkus shell: the consumer of push requests and everything behind it. The caller
 * owns (and closes) the Kafka clients, the Redis connection and the APNs clients it passes in.
 */
public final class PushService {
    private static final Logger LOG = Logger.getLogger(PushService.class);

    /**
     * @param maxInFlight    push requests in hand at once (bounds APNs sends in flight)
     * @param initialBackoff first retry delay; doubles per attempt, with jitter
     * @param maxBackoff     longest retry delay
     */
    public record Settings(int maxInFlight, Duration initialBackoff, Duration maxBackoff) {
    }

    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(daemon("tether-push-retry"));
    private final ExecutorService sendThread = Executors.newSingleThreadExecutor(daemon("tether-push-publish"));
    private final DeviceStore devices;
    private final KeyedConsumer consumer;
    private final AppCatalog catalog;
    private final List<ApnsApp> apps;
    private volatile boolean catalogPublished;

    public PushService(Consumer<String, byte[]> kafkaConsumer, Producer<String, byte[]> producer,
            RedisAsyncCommands<String, String> redis, ApnsClients clients, PushTopics topics, Settings settings,
            MeterRegistry registry, Clock clock, MessagingSpans spans) {
        this(kafkaConsumer, producer, redis, clients, topics, settings, registry, clock, spans, new NotificationFactory());
    }

    /** @param notifications builds the notifications (with the device fetch tokens it issues, if any) */
    public PushService(Consumer<String, byte[]> kafkaConsumer, Producer<String, byte[]> producer,
            RedisAsyncCommands<String, String> redis, ApnsClients clients, PushTopics topics, Settings settings,
            MeterRegistry registry, Clock clock, MessagingSpans spans, NotificationFactory notifications) {
        PushMetrics metrics = new PushMetrics(registry);
        Backoff backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), () -> ThreadLocalRandom.current().nextDouble());
        this.devices = new DeviceStore(redis);
        this.catalog = new AppCatalog(redis);
        this.apps = clients.apps();
        AppRateLimiter limiter = new AppRateLimiter(System::nanoTime,
                (task, delayNanos) -> retries.schedule(task, delayNanos, TimeUnit.NANOSECONDS));
        clients.apps().stream().filter(app -> app.rateLimit() != null)
                .forEach(app -> metrics.rateLimitQueue(app.bundleId(), () -> limiter.waiting(app.bundleId())));
        PushProcessor processor = new PushProcessor(devices, clients, notifications, backoff, retries, metrics, clock,
                spans.tracer(), limiter);
        Retry retry = new Retry(backoff, retries);
        PushRecordHandler handler = new PushRecordHandler(processor, new OutcomePublisher(producer, topics, sendThread, spans),
                metrics, retry, spans);
        this.consumer = new KeyedConsumer("tether-push-consumer", kafkaConsumer, List.of(topics.push()), handler::handle,
                new DeadLetters(producer, topics.deadLetters()).onSent(metrics::deadLettered), retry, settings.maxInFlight());
        metrics.inFlight(consumer::inFlight);
    }

    public void start() {
        publishCatalog();
        consumer.start();
    }

    /** Until Redis takes it: the registry and fanout refuse what no app here could send. */
    private void publishCatalog() {
        catalog.publish(apps).whenComplete((v, error) -> {
            if (error == null) {
                catalogPublished = true;
                return;
            }
            LOG.warnf("cannot publish the APNs apps yet (%s); trying again in 1 s", error.toString());
            try {
                retries.schedule(this::publishCatalog, 1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // stopping
            }
        });
    }

    /** Whether the registry and fanout can see which apps this service pushes for. */
    public boolean isCatalogPublished() {
        return catalogPublished;
    }

    /** Stops consuming and abandons retries; what was not durably handled is redone by the next owner of the partition. */
    public void stop() {
        consumer.stop();
        retries.shutdownNow();
        sendThread.shutdown();
        try {
            sendThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isConsuming() {
        return consumer.isRunning();
    }

    /** The consumer loop lives (liveness): it survives outages, so false means a bug ended it. */
    public boolean isAlive() {
        return consumer.isAlive();
    }

    public DeviceStore devices() {
        return devices;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
