package io.tether.gateway.app;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.contract.GatewayId;
import io.tether.contract.Topics;
import io.tether.gateway.config.GatewayConfig;
import io.tether.gateway.config.MqttConfig;
import io.tether.gateway.delivery.Acknowledgements;
import io.tether.gateway.delivery.DeliveryChannel;
import io.tether.gateway.delivery.EventPublisher;
import io.tether.gateway.delivery.Recovery;
import io.tether.gateway.delivery.StaleDeliveries;
import io.tether.gateway.drain.DrainNotice;
import io.tether.gateway.drain.Drainer;
import io.tether.gateway.guard.ConnectGuard;
import io.tether.gateway.guard.ControlChannel;
import io.tether.gateway.guard.GuardHooks;
import io.tether.gateway.guard.GuardedConnect;
import io.tether.gateway.guard.SessionAudit;
import io.tether.gateway.metrics.GatewayMetrics;
import io.tether.gateway.metrics.GuardMetrics;
import io.tether.gateway.mqtt.ConnectHandler;
import io.tether.gateway.mqtt.Connections;
import io.tether.gateway.mqtt.DeviceAuthenticator;
import io.tether.gateway.mqtt.SessionLimits;
import io.tether.gateway.mqtt.MqttListener;
import io.tether.gateway.mqtt.MqttTracing;
import io.tether.gateway.mqtt.PendingWills;
import io.tether.gateway.mqtt.SessionServices;
import io.tether.gateway.mqtt.SessionSettings;
import io.tether.gateway.store.GatewayStore;
import io.tether.gateway.store.RedisGatewayStore;
import io.tether.inbox.DeviceInbox;
import io.tether.inbox.HandOver;
import io.tether.inbox.OrphanedDevices;
import io.tether.inbox.config.InboxConfig;
import io.tether.runtime.failure.Backoff;
import io.tether.runtime.failure.Retry;
import io.tether.runtime.kafka.KafkaClientMeters;
import io.tether.runtime.kafka.KafkaClients;
import io.tether.runtime.kafka.TopicProvisioner;
import io.tether.runtime.quarkus.KafkaSettings;
import io.tether.runtime.tracing.MessagingSpans;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.mqtt.MqttEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

/**
 * The Quarkus shell: wires the plain core together at start-up and takes it down at shutdown. Order matters: the
 * delivery channel is subscribed and the previous process's devices are let go before the MQTT ports open.
 */
@ApplicationScoped
public class GatewayApp {
    private static final Logger LOG = Logger.getLogger(GatewayApp.class);
    /** Time beyond the drain window for the last DISCONNECTED events to reach Kafka and the sockets to close. */
    static final Duration DRAIN_GRACE = Duration.ofSeconds(10);
    /** Undeploying every listener, after the drain closed their connections: only the server sockets are left. */
    static final Duration UNDEPLOY = Duration.ofSeconds(5);
    /** Each Kafka producer's close: what it still buffers gets this long to reach the broker. */
    static final Duration PRODUCER_CLOSE = Duration.ofSeconds(10);
    /*
     * Shutdown therefore takes at most the drain window + DRAIN_GRACE + UNDEPLOY + 2 x PRODUCER_CLOSE. The chart's
     * terminationGracePeriodSeconds must cover it (deploy-tests' ChartTest reads these constants), or Kubernetes
     * kills the pod with records still buffered.
     */
    /** Status events for backends wait this long to share a Kafka request: nobody waits for them, the broker pays per request. */
    private static final Duration EVENTS_LINGER = Duration.ofMillis(100);

    private final Vertx vertx;
    private final GatewayConfig gatewayConfig;
    private final MqttConfig mqttConfig;
    private final InboxConfig inboxConfig;
    private final KafkaSettings kafka;
    private final StatefulRedisConnection<String, String> redis;
    private final RedisClient redisClient;
    private final MessagingSpans spans;
    private final MeterRegistry registry;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tether-gateway-retry");
        thread.setDaemon(true);
        return thread;
    });
    private final List<String> listenerDeployments = new ArrayList<>();

    private String gatewayId;
    private Connections connections;
    private GatewayHeartbeat heartbeat;
    private KafkaProducer<String, byte[]> producer;
    private KafkaProducer<String, byte[]> eventsProducer;
    private DeliveryChannel deliveries;
    private ControlChannel control;
    private DeviceAuthenticator authenticator;
    private Drainer drainer;
    private KafkaClientMeters kafkaMeters;

    GatewayApp(Vertx vertx, GatewayConfig gatewayConfig, MqttConfig mqttConfig, InboxConfig inboxConfig, KafkaSettings kafka,
            StatefulRedisConnection<String, String> redis, RedisClient redisClient, MessagingSpans spans, MeterRegistry registry) {
        this.vertx = vertx;
        this.gatewayConfig = gatewayConfig;
        this.mqttConfig = mqttConfig;
        this.inboxConfig = inboxConfig;
        this.kafka = kafka;
        this.redis = redis;
        this.redisClient = redisClient;
        this.spans = spans;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) throws Exception {
        gatewayId = gatewayConfig.id().orElseGet(GatewayId::random);
        try (Admin admin = kafka.clients().admin()) {
            new TopicProvisioner(admin, kafka.layout()).ensure(Topics.UPSTREAM, Topics.PRESENCE, Topics.RECEIPTS, Topics.EVENTS);
        }
        producer = kafka.clients().durableProducer("tether-" + gatewayId);
        // Fetch metadata now, so that send() never blocks an event loop on it later.
        KafkaClients.warmUp(producer, List.of(Topics.UPSTREAM, Topics.PRESENCE), Duration.ofSeconds(60));
        eventsProducer = kafka.clients().durableProducer("tether-" + gatewayId + "-events", EVENTS_LINGER);
        KafkaClients.warmUp(eventsProducer, List.of(Topics.EVENTS), Duration.ofSeconds(60));
        kafkaMeters = new KafkaClientMeters(registry);
        kafkaMeters.bind(producer);
        kafkaMeters.bind(eventsProducer);
        Retry retry = new Retry(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> ThreadLocalRandom.current().nextDouble()),
                retries);
        StaleDeliveries stale = new StaleDeliveries(gatewayId, System::currentTimeMillis);
        EventPublisher events = new EventPublisher(producer, eventsProducer, gatewayId, spans, retry, stale::written);
        GatewayStore store = new RedisGatewayStore(redis.async(), mqttConfig.session().heldTtl(), mqttConfig.session().maxExpiry());
        GatewayMetrics metrics = new GatewayMetrics(registry);
        connections = new Connections(store, gatewayId);
        Recovery recovery = new Recovery(connections, events, new OrphanedDevices(redis.async()));
        Acknowledgements acknowledgements = new Acknowledgements(new DeviceInbox(redis.async(), inboxConfig.settings()), gatewayId, retry,
                metrics, events::eventEventually);

        deliveries = new DeliveryChannel(redisClient, gatewayId, handOver -> handOver(handOver, stale, events), recovery::resyncAll);
        deliveries.start(Duration.ofSeconds(30));
        recovery.disconnectPredecessor(gatewayId).toCompletableFuture().get(30, TimeUnit.SECONDS);
        heartbeat = new GatewayHeartbeat(vertx, store, gatewayId, gatewayConfig.heartbeatTtl(), recovery::reassertAll);
        heartbeat.start().toCompletableFuture().get(10, TimeUnit.SECONDS);

        authenticator = new DeviceAuthenticator(store, gatewayConfig.credentialCacheTtl());
        GuardMetrics guardMetrics = new GuardMetrics(registry);
        SessionAudit audit = new SessionAudit(store, gatewayId, connections, mqttConfig.limits().connectFailures().knownOriginTtl(),
                guardMetrics);
        PendingWills wills = new PendingWills(vertx, metrics::will);
        control = new ControlChannel(redisClient, gatewayId, audit, authenticator, wills);
        control.start(Duration.ofSeconds(30));
        vertx.setPeriodic(gatewayConfig.sessionAuditInterval().toMillis(), id -> audit.checkAll());
        MqttConfig.Limits limits = mqttConfig.limits();
        SessionLimits sessionLimits = new SessionLimits(limits.maxSubscriptions(), limits.maxTopicBytes(), limits.maxTopicLevels(),
                gatewayConfig.maxInflight(), limits.maxQueuedBytes(), limits.maxPayloadBytes(), guardMetrics::limitRefused);
        SessionSettings settings = new SessionSettings(gatewayConfig.ackTimeout(), gatewayConfig.maxInflight(),
                limits.maxPayloadBytes(), limits.publishPerSecond(), limits.publishBurst(), mqttConfig.session().maxExpiry(),
                mqttConfig.maxKeepaliveSeconds(), mqttConfig.maxMessageSize(), sessionLimits);
        ConnectGuard guard = GuardSettings.connectGuard(limits.connectFailures(), redis.async(), guardMetrics);
        GuardHooks hooks = new GuardHooks(guard, audit);
        drainer = new Drainer(vertx, connections::all, gatewayConfig.drainWindow(),
                new DrainNotice(gatewayConfig.drainServerReference()), System::nanoTime);
        SessionServices sessions = new SessionServices(vertx, events, connections, store, settings, new MqttTracing(spans),
                acknowledgements, hooks, wills);
        int instances = Math.max(1, VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE / 2);
        for (Listeners.Listener listener : Listeners.from(mqttConfig)) {
            Handler<MqttEndpoint> connectHandler = countDrainRefusals(metrics, drainer.gate(new GuardedConnect(vertx, guard, sessionLimits,
                    new ConnectHandler(sessions, metrics, GatewayMetrics.transportOfListener(listener.name())))));
            listenerDeployments.add(vertx.deployVerticle(() -> new MqttListener(listener.options(), connectHandler),
                    new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
            LOG.infof("gateway %s: %s on %s:%d", gatewayId, listener.name(), mqttConfig.host(), listener.options().getPort());
        }
    }

    /** A hand-over for a connection held here goes to it; one for a connection that is gone is reported. */
    private void handOver(HandOver handOver, StaleDeliveries stale, EventPublisher events) {
        var session = connections.get(handOver.deviceId());
        if (session.isPresent() && session.get().epoch() == handOver.epoch()) {
            session.get().deliver(handOver);
        } else {
            stale.report(handOver.deviceId(), handOver.epoch()).ifPresent(events::presenceEventually);
        }
    }

    private Handler<MqttEndpoint> countDrainRefusals(GatewayMetrics metrics, Handler<MqttEndpoint> gated) {
        return endpoint -> {
            if (drainer.isDraining()) {
                metrics.connectError("draining");
            }
            gated.handle(endpoint);
        };
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        drain();
        try {
            // One deadline for all: a slow listener must not keep the producers below from flushing.
            Future.all(listenerDeployments.stream().map(vertx::undeploy).toList())
                    .toCompletionStage().toCompletableFuture().get(UNDEPLOY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warnf("listeners not undeployed within %d ms (%s); closing the Kafka producers all the same", UNDEPLOY.toMillis(), e);
        }
        if (control != null) {
            control.close();
        }
        if (deliveries != null) {
            deliveries.close();
        }
        if (heartbeat != null) {
            heartbeat.stop();
        }
        retries.shutdownNow();
        if (kafkaMeters != null) {
            kafkaMeters.close();
        }
        if (eventsProducer != null) {
            eventsProducer.close(PRODUCER_CLOSE);
        }
        if (producer != null) {
            producer.close(PRODUCER_CLOSE);
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

    /** Listening, not draining, and the delivery channel subscribed. */
    public boolean isReady() {
        return (drainer == null || !drainer.isDraining()) && !listenerDeployments.isEmpty() && deliveries != null && deliveries.isOpen();
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
