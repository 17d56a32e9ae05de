package io.tether.push.app;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.runtime.kafka.KafkaClientMeters;
import io.tether.push.apns.ApnsApp;
import io.tether.push.apns.ApnsClients;
import io.tether.push.apns.ApnsConnection;
import io.tether.attachments.AttachmentsConfig;
import io.tether.attachments.FetchToken;
import io.tether.attachments.signing.Jws;
import io.tether.push.config.ApnsConfig;
import io.tether.pushoptions.NotificationFactory;
import java.util.Optional;
import io.tether.runtime.kafka.KafkaClients;
import io.tether.runtime.kafka.TopicProvisioner;
import io.tether.runtime.quarkus.KafkaSettings;
import io.tether.runtime.tracing.MessagingSpans;
import io.tether.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import io.tether.runtime.kafka.KeyedConsumer;
import io.tether.push.pipeline.PushService;
import io.tether.push.pipeline.PushTopics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

/** The Quarkus shell of push-service: builds the APNs clients and the plain core from config, and runs it. */
@ApplicationScoped
public class PushApp {
    private static final Logger LOG = Logger.getLogger(PushApp.class);

    private final ApnsConfig apns;
    private final AttachmentsConfig attachments;
    private final KafkaSettings kafka;
    private final StatefulRedisConnection<String, String> redis;
    private final MeterRegistry registry;
    private final MessagingSpans spans;
    private ApnsClients clients;
    private KafkaProducer<String, byte[]> producer;
    private PushService service;
    private KafkaClientMeters kafkaMeters;

    PushApp(ApnsConfig apns, KafkaSettings kafka, StatefulRedisConnection<String, String> redis, MeterRegistry registry,
            MessagingSpans spans, AttachmentsConfig attachments) {
        this.spans = spans;
        this.attachments = attachments;
        this.apns = apns;
        this.kafka = kafka;
        this.redis = redis;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        List<ApnsApp> apps = apps(apns);
        clients = ApnsClients.create(apps, new ApnsConnection(apns.serverHost(), apns.serverPort(),
                apns.trustedServerCertificate(), apns.concurrentConnections(), apns.connectionTimeout()));
        if (apps.isEmpty()) {
            LOG.warn("no APNs apps configured (tether.apns.apps.<name>.*): every push fails with app-not-configured");
        }
        apps.forEach(app -> LOG.infof("APNs app %s", app.describe()));
        if (!apps.isEmpty()) {
            LOG.infof("APNs TLS: %s", ApnsClients.tls());
        }
        try (Admin admin = kafka.clients().admin()) {
            new TopicProvisioner(admin, kafka.layout()).ensure(Topics.PUSH, Topics.RECEIPTS, Topics.DLQ);
        }
        producer = kafka.clients().durableProducer("tether-push");
        KafkaClients.warmUp(producer, List.of(Topics.RECEIPTS, Topics.DLQ), Duration.ofSeconds(60));
        var consumer = kafka.clients().groupConsumer(kafka.groupId().orElse("tether-push"), "tether-push-consumer",
                KeyedConsumer.batchSize(apns.maxInFlight()));
        kafkaMeters = new KafkaClientMeters(registry);
        kafkaMeters.bind(producer);
        kafkaMeters.bind(consumer);
        service = new PushService(consumer,
                producer, redis.async(), clients, PushTopics.DEFAULT,
                new PushService.Settings(apns.maxInFlight(), apns.retry().initialBackoff(), apns.retry().maxBackoff()),
                registry, Clock.systemUTC(), spans, new NotificationFactory(fetchTokens()));
        service.start();
    }

    /** Fetch tokens signed with the attachments' keys, when configured: a push without the whole message carries one. */
    private NotificationFactory.FetchTokens fetchTokens() {
        Optional<Jws> jws = Jws.fromConfig(attachments);
        long ttl = attachments.fetchTokenTtl().toMillis();
        return (deviceId, notAfter) -> jws.map(j -> new FetchToken(deviceId, Math.min(notAfter, System.currentTimeMillis() + ttl)).sign(j));
    }

    void stop(@Observes ShutdownEvent event) {
        if (service != null) {
            service.stop();
        }
        if (kafkaMeters != null) {
            kafkaMeters.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        if (clients != null) {
            clients.close();
        }
    }

    boolean isConsumerAlive() {
        return service == null || service.isAlive();
    }

    boolean isConsuming() {
        return service != null && service.isConsuming();
    }

    boolean isCatalogPublished() {
        return service != null && service.isCatalogPublished();
    }

    private static List<ApnsApp> apps(ApnsConfig config) {
        return new TreeMap<>(config.apps()).entrySet().stream().map(entry -> {
            ApnsConfig.App app = entry.getValue();
            double perSecond = app.rateLimit().perSecond();
            ApnsApp.RateLimit limit = perSecond <= 0 ? null
                    : new ApnsApp.RateLimit(perSecond, app.rateLimit().burst().orElse((int) Math.max(1, Math.ceil(perSecond))));
            return ApnsApp.of(entry.getKey(), app.bundleId(), app.teamId(), app.keyId(), app.signingKey(), app.certificate(),
                    app.certificatePassword(), app.environments(), app.pushTypes(), limit);
        }).toList();
    }
}
