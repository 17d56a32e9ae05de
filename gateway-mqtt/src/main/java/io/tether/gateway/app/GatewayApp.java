package io.tether.gateway.app;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.opentelemetry.api.OpenTelemetry;
import io.tether.contract.tracing.MessagingSpans;
import io.tether.gateway.mqtt.MqttTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.contract.DeliverTopic;
import io.tether.contract.GatewayId;
import io.tether.contract.KafkaClientMeters;
import io.tether.contract.TopicProvisioner;
import io.tether.contract.Topics;
import io.tether.gateway.config.GatewayConfig;
import io.tether.gateway.config.KafkaConfig;
import io.tether.gateway.config.MqttConfig;
import io.tether.gateway.drain.DrainNotice;
import io.tether.gateway.drain.Drainer;
import io.tether.gateway.kafka.DeliveryConsumer;
import io.tether.gateway.kafka.EventPublisher;
import io.tether.gateway.metrics.GatewayMetrics;
import io.tether.gateway.mqtt.ConnectHandler;
import io.tether.gateway.mqtt.Connections;
import io.tether.gateway.mqtt.DeviceAuthenticator;
import io.tether.gateway.mqtt.MqttListener;
import io.tether.gateway.mqtt.SessionSettings;
import io.tether.gateway.store.GatewayStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.mqtt.MqttEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

/**
 * The Quarkus shell: wires the plain core together at start-up and takes it down at shutdown. Order matters:
 * the delivery consumer holds its position before the MQTT port opens (see {@link DeliveryConsumer}).
 */
@ApplicationScoped
public class GatewayApp {
    private static final Logger LOG = Logger.getLogger(GatewayApp.class);
    /** Time beyond the drain window for the last DISCONNECTED events to reach Kafka and the sockets to close. */
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final GatewayConfig gatewayConfig;
    private final MqttConfig mqttConfig;
    private final KafkaConfig kafkaConfig;
    private final StatefulRedisConnection<String, String> redis;
    private final OpenTelemetry openTelemetry;

    private Connections connections;
    private GatewayHeartbeat heartbeat;
    private String gatewayId;
    private KafkaProducer<String, byte[]> producer;
    private DeliveryConsumer deliveryConsumer;
    private final List<String> listenerDeployments = new ArrayList<>();
    private final RedisClient redisClient;
    private CredentialWatcher credentialWatcher;
    private DeviceAuthenticator authenticator;
    private Drainer drainer;
    private final MeterRegistry registry;
    private KafkaClientMeters kafkaMeters;

    GatewayApp(Vertx vertx, GatewayConfig gatewayConfig, MqttConfig mqttConfig, KafkaConfig kafkaConfig,
            StatefulRedisConnection<String, String> redis, RedisClient redisClient, OpenTelemetry openTelemetry,
            MeterRegistry registry) {
        this.openTelemetry = openTelemetry;
        this.registry = registry;
        this.redisClient = redisClient;
        this.vertx = vertx;
        this.gatewayConfig = gatewayConfig;
        this.mqttConfig = mqttConfig;
        this.kafkaConfig = kafkaConfig;
        this.redis = redis;
    }

    void start(@Observes StartupEvent event) throws Exception {
        gatewayId = gatewayConfig.id().orElseGet(GatewayId::random);
        DeliverTopic deliverTopic = new DeliverTopic(gatewayId);
        try (Admin admin = KafkaClients.admin(kafkaConfig)) {
            new TopicProvisioner(admin, 8, (short) 1).ensure(Topics.UPSTREAM, Topics.PRESENCE, Topics.RECEIPTS);
            new TopicProvisioner(admin, 1, (short) 1).ensure(Set.of(deliverTopic.name()), java.util.Map.of());
        }
        producer = KafkaClients.producer(kafkaConfig, gatewayId);
        // Fetch metadata now, so that send() never blocks an event loop on it later.
        for (String topic : new String[] {Topics.UPSTREAM, Topics.PRESENCE, Topics.RECEIPTS}) {
            producer.partitionsFor(topic);
        }
        MessagingSpans spans = new MessagingSpans(openTelemetry);
        EventPublisher events = new EventPublisher(producer, gatewayId, spans);
        kafkaMeters = new KafkaClientMeters(registry);
        kafkaMeters.bind(producer);

        GatewayStore store = new GatewayStore(redis.async());
        connections = new Connections(store, gatewayId);
        var deliveryKafkaConsumer = KafkaClients.deliveryConsumer(kafkaConfig, gatewayId);
        kafkaMeters.bind(deliveryKafkaConsumer);
        deliveryConsumer = new DeliveryConsumer(deliveryKafkaConsumer, deliverTopic,
                delivery -> connections.get(delivery.deviceId()).ifPresent(session -> session.deliver(delivery)), spans);
        deliveryConsumer.start().get(60, TimeUnit.SECONDS);

        heartbeat = new GatewayHeartbeat(vertx, store, gatewayId, gatewayConfig.heartbeatTtl());
        heartbeat.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
        authenticator = new DeviceAuthenticator(store, gatewayConfig.credentialCacheTtl());
        credentialWatcher = new CredentialWatcher(redisClient, authenticator, connections);
        MqttConfig.Limits limits = mqttConfig.limits();
        SessionSettings settings = new SessionSettings(gatewayConfig.ackTimeout(), gatewayConfig.maxInflight(),
                limits.maxPayloadBytes(), limits.publishPerSecond(), limits.publishBurst());
        drainer = new Drainer(vertx, connections, gatewayConfig.drainWindow(), new DrainNotice(gatewayConfig.drainServerReference()));
        GatewayMetrics metrics = new GatewayMetrics(registry);
        MqttTracing tracing = new MqttTracing(openTelemetry);
        int instances = Math.max(1, VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE / 2);
        for (Listeners.Listener listener : Listeners.from(mqttConfig)) {
            var connectHandler = countDrainRefusals(metrics, drainer.gate(new ConnectHandler(vertx, authenticator, store, events,
                    connections, settings, tracing, metrics, GatewayMetrics.transportOfListener(listener.name()))));
            listenerDeployments.add(vertx.deployVerticle(() -> new MqttListener(listener.options(), connectHandler),
                    new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
            LOG.infof("gateway %s: %s on %s:%d", gatewayId, listener.name(), mqttConfig.host(), listener.options().getPort());
        }
        LOG.infof("gateway %s: deliveries from %s", gatewayId, deliverTopic);
    }

    private io.vertx.core.Handler<MqttEndpoint> countDrainRefusals(GatewayMetrics metrics, io.vertx.core.Handler<MqttEndpoint> gated) {
        return endpoint -> {
            if (drainer.isDraining()) {
                metrics.connectError("draining");
            }
            gated.handle(endpoint);
        };
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        drain();
        for (String deployment : listenerDeployments) {
            vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (credentialWatcher != null) {
            credentialWatcher.close();
        }
        if (deliveryConsumer != null) {
            deliveryConsumer.stop();
        }
        if (heartbeat != null) {
            heartbeat.stop();
        }
        if (kafkaMeters != null) {
            kafkaMeters.close();
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(10));
        }
    }

    /** SIGTERM: readiness goes DOWN, new CONNECTs are refused, devices leave paced over the drain window. */
    private void drain() {
        if (drainer == null) {
            return;
        }
        Duration deadline = gatewayConfig.drainWindow().plus(DRAIN_GRACE);
        try {
            drainer.drain().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("drain not finished after %d ms; closing the remaining %d connections", deadline.toMillis(), connectionCount());
        } catch (ExecutionException e) {
            LOG.warnf(e.getCause(), "drain failed; closing the remaining %d connections", connectionCount());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isReady() {
        return (drainer == null || !drainer.isDraining()) && !listenerDeployments.isEmpty() && deliveryConsumer != null && deliveryConsumer.isRunning();
    }

    public String gatewayId() {
        return gatewayId;
    }

    /** The device credential check, shared with the device HTTPS endpoint (one cache, one revocation watcher). */
    public DeviceAuthenticator deviceAuthenticator() {
        return authenticator;
    }

    public int connectionCount() {
        return connections == null ? 0 : connections.size();
    }
}
