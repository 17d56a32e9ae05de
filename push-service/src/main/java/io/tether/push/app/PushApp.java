package io.tether.push.app;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.contract.KafkaClientMeters;
import io.tether.push.apns.ApnsApp;
import io.tether.push.apns.ApnsClients;
import io.tether.push.apns.ApnsConnection;
import io.tether.attachments.AttachmentsConfig;
import io.tether.attachments.FetchToken;
import io.tether.attachments.signing.Jws;
import io.tether.push.config.ApnsConfig;
import io.tether.push.notification.NotificationFactory;
import java.util.Optional;
import io.tether.push.config.KafkaConfig;
import io.tether.push.pipeline.KafkaClients;
import io.tether.push.pipeline.PushService;
import io.tether.push.pipeline.PushTopics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

/** The Quarkus shell of push-service: builds the APNs clients and the plain core from config, and runs it. */
@ApplicationScoped
public class PushApp {
    private static final Logger LOG = Logger.getLogger(PushApp.class);

    private final ApnsConfig apns;
    private final AttachmentsConfig attachments;
    private final KafkaConfig kafka;
    private final StatefulRedisConnection<String, String> redis;
    private final MeterRegistry registry;
    private final io.opentelemetry.api.OpenTelemetry openTelemetry;
    private ApnsClients clients;
    private KafkaProducer<String, byte[]> producer;
    private PushService service;
    private KafkaClientMeters kafkaMeters;

    PushApp(ApnsConfig apns, KafkaConfig kafka, StatefulRedisConnection<String, String> redis, MeterRegistry registry,
            io.opentelemetry.api.OpenTelemetry openTelemetry, AttachmentsConfig attachments) {
        this.attachments = attachments;
        this.openTelemetry = openTelemetry;
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
        producer = KafkaClients.producer(kafka.bootstrapServers(), kafka.producer());
        var consumer = KafkaClients.consumer(kafka.bootstrapServers(), kafka.groupId(), apns.maxInFlight(), kafka.consumer());
        kafkaMeters = new KafkaClientMeters(registry);
        kafkaMeters.bind(producer);
        kafkaMeters.bind(consumer);
        service = new PushService(consumer,
                producer, redis.async(), clients, PushTopics.DEFAULT,
                new PushService.Settings(apns.maxInFlight(), apns.retry().initialBackoff(), apns.retry().maxBackoff()),
                registry, Clock.systemUTC(), openTelemetry, new NotificationFactory(fetchTokens()));
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

    /** Whether Redis answers PING within a second. */
    boolean redisAnswers() {
        if (service == null) {
            return false;
        }
        try {
            return service.devices().ping().toCompletableFuture().get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    boolean isConsuming() {
        return service != null && service.isConsuming();
    }

    private static List<ApnsApp> apps(ApnsConfig config) {
        return new TreeMap<>(config.apps()).entrySet().stream().map(entry -> {
            ApnsConfig.App app = entry.getValue();
            return ApnsApp.of(entry.getKey(), app.bundleId(), app.teamId(), app.keyId(), app.signingKey(), app.certificate(),
                    app.certificatePassword());
        }).toList();
    }
}
