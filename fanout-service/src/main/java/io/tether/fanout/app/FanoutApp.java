package io.tether.fanout.app;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.contract.Topics;
import io.tether.fanout.config.FanoutConfig;
import io.tether.fanout.events.KafkaStatusEvents;
import io.tether.fanout.events.StatusEvents;
import io.tether.fanout.attachments.MessageAttachments;
import io.tether.fanout.intake.MessageAcceptor;
import io.tether.fanout.intake.MessageIntake;
import io.tether.fanout.metrics.FanoutMetrics;
import io.tether.fanout.quota.AppQuotas;
import io.tether.fanout.quota.QuotaMetrics;
import io.tether.fanout.rest.MessageRequests;
import io.tether.fanout.rest.PushAppCheck;
import io.tether.fanout.routing.ExpiryIndex;
import io.tether.fanout.routing.GatewayReaper;
import io.tether.fanout.routing.PushRequests;
import io.tether.fanout.routing.Router;
import io.tether.fanout.status.StatusStore;
import io.tether.inbox.DeviceInbox;
import io.tether.inbox.config.InboxConfig;
import io.tether.rest.scope.DeviceApps;
import io.tether.runtime.failure.Backoff;
import io.tether.runtime.failure.Retry;
import io.tether.runtime.kafka.DeadLetters;
import io.tether.runtime.kafka.KafkaClientMeters;
import io.tether.runtime.kafka.KafkaClients;
import io.tether.runtime.kafka.KeyedConsumer;
import io.tether.runtime.kafka.TopicLayout;
import io.tether.runtime.kafka.TopicProvisioner;
import io.tether.runtime.quarkus.KafkaSettings;
import io.tether.runtime.quarkus.RedisSettings;
import io.tether.runtime.redis.ReplicaWait;
import io.tether.runtime.tracing.MessagingSpans;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/** The Quarkus shell of fanout: builds the plain core from config and runs the routing consumer. */
@ApplicationScoped
public class FanoutApp {
    private final FanoutConfig config;
    private final KafkaSettings kafka;
    private final StatefulRedisConnection<String, String> redis;
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tether-fanout-retry");
        thread.setDaemon(true);
        return thread;
    });
    private final MessagingSpans spans;
    private final FanoutMetrics metrics;
    private final KafkaClientMeters kafkaMeters;
    private final DeviceInbox inbox;
    /**
     * How long fanout's producer waits to fill a request (the runtime's default is 5 ms): each request saved is a
     * broker request and a routing fetch fewer. At most this is added to a 202 and to the live path; the README's
     * benchmark section has the A/B. {@code tether.kafka.producer."linger.ms"} overrides it.
     */
    static final Duration LINGER = Duration.ofMillis(10);

    private final StatusEvents events;
    private final MeterRegistry registry;
    private KeyedConsumer routing;

    private final InboxConfig inboxConfig;
    private final RedisSettings redisSettings;

    FanoutApp(FanoutConfig config, InboxConfig inboxConfig, KafkaSettings kafka, RedisSettings redisSettings,
            StatefulRedisConnection<String, String> redis, MessagingSpans spans, MeterRegistry registry) {
        this.inboxConfig = inboxConfig;
        this.redisSettings = redisSettings;
        this.config = config;
        this.kafka = kafka;
        this.redis = redis;
        this.spans = spans;
        this.metrics = new FanoutMetrics(registry);
        this.producer = kafka.clients().durableProducer("tether-fanout", LINGER);
        this.kafkaMeters = new KafkaClientMeters(registry);
        kafkaMeters.bind(producer);
        this.inbox = new DeviceInbox(redis.async(), inboxConfig.settings());
        this.events = new KafkaStatusEvents(producer, System::currentTimeMillis);
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        TopicLayout layout = kafka.layout();
        try (Admin admin = kafka.clients().admin()) {
            new TopicProvisioner(admin, layout).ensure(Topics.DOWNSTREAM, Topics.PRESENCE, Topics.RECEIPTS, Topics.PUSH, Topics.DLQ,
                    Topics.EVENTS);
        }
        // Fetch metadata now, so that send() on the REST path or a Redis thread never blocks on it.
        KafkaClients.warmUp(producer, List.of(Topics.DOWNSTREAM, Topics.PRESENCE, Topics.PUSH, Topics.DLQ, Topics.EVENTS), Duration.ofSeconds(60));
        Router router = new Router(inbox, new PushRequests(producer, spans), expiryIndex()::index, statusStore(), producer, spans, metrics,
                events);
        String group = kafka.groupId().orElse("tether-fanout");
        KafkaConsumer<String, byte[]> consumer = kafka.clients().coPartitionedConsumer(group, "tether-fanout-routing",
                KeyedConsumer.batchSize(config.maxInFlight()));
        kafkaMeters.bind(consumer);
        Retry retry = new Retry(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> ThreadLocalRandom.current().nextDouble()),
                retries);
        routing = new KeyedConsumer("tether-routing-consumer", consumer, TopicLayout.PER_DEVICE,
                record -> routeInSpan(router, record, group), new DeadLetters(producer).onSent(metrics::deadLettered), retry,
                config.maxInFlight())
                .beforeCommit(new ReplicaWait(redis, redisSettings.waitReplicas(), redisSettings.waitTimeout()));
        routing.start();
    }

    /** One "process <topic>" span per record, continuing the trace its producer put into the headers. */
    private CompletionStage<Void> routeInSpan(Router router, ConsumerRecord<String, byte[]> record, String group) {
        Span span = spans.startProcess(record, group);
        return MessagingSpans.endWhenDone(span, router.route(record, Context.root().with(span)));
    }

    @Produces
    @Singleton
    ExpiryIndex expiryIndex() {
        return new ExpiryIndex(redis.async(), inbox, config.expiryShards(), metrics, events);
    }

    @Produces
    @Singleton
    GatewayReaper gatewayReaper() {
        return new GatewayReaper(redis.async(), producer, config.gatewayGrace(), System::currentTimeMillis);
    }

    void stop(@Observes ShutdownEvent event) {
        if (routing != null) {
            routing.stop();
        }
        retries.shutdownNow();
        kafkaMeters.close();
        producer.close(Duration.ofSeconds(10));
    }

    public boolean isRoutingAlive() {
        return routing == null || routing.isAlive();
    }

    public boolean isRoutingRunning() {
        return routing != null && routing.isRunning();
    }

    @Produces
    @Singleton
    StatusStore statusStore() {
        return new StatusStore(redis.async(), inboxConfig.statusRetention().toSeconds(), inboxConfig.maxTtl().toSeconds(),
                config.idempotencyWindow().toSeconds());
    }

    @Produces
    @Singleton
    MessageIntake intake() {
        return new MessageIntake(producer, spans, metrics);
    }

    @Produces
    @Singleton
    PushAppCheck pushAppCheck() {
        return new PushAppCheck(redis.async(), config.requirePushApp());
    }

    @Produces
    @Singleton
    MessageRequests messageRequests() {
        return new MessageRequests(config.defaultTtl(), inboxConfig.maxTtl(), config.maxPayloadBytes());
    }

    @Produces
    @Singleton
    DeviceApps deviceApps() {
        return new DeviceApps(redis.async());
    }

    @Produces
    @Singleton
    MessageAcceptor messageAcceptor(MessageRequests requests, MessageIntake intake, StatusStore statuses, DeviceApps apps,
            PushAppCheck pushApps, MessageAttachments attachments) {
        return new MessageAcceptor(requests, intake, statuses, apps,
                new AppQuotas(redis.async(), System::currentTimeMillis, new QuotaMetrics(registry)), pushApps, attachments,
                config.maxBroadcastDevices());
    }
}
