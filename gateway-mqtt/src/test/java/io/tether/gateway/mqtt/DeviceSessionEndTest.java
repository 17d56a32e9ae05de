package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.opentelemetry.api.OpenTelemetry;
import io.tether.contract.Json;
import io.tether.contract.PresenceEvent;
import io.tether.gateway.delivery.Acknowledgements;
import io.tether.gateway.delivery.EventPublisher;
import io.tether.gateway.metrics.GatewayMetrics;
import io.tether.gateway.store.GatewayStore;
import io.tether.gateway.store.RedisGatewayStore;
import io.tether.gateway.testing.FakeHooks;
import io.tether.gateway.testing.GatewayFixture;
import io.tether.inbox.Inbox;
import io.tether.runtime.failure.Backoff;
import io.tether.runtime.failure.Retry;
import io.tether.runtime.tracing.MessagingSpans;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.NetSocketImpl;
import io.vertx.core.net.impl.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.impl.MqttEndpointImpl;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The end of a device connection, without sockets: a fake endpoint stands for Vert.x MQTT's, a promise for its socket's
 * close. The order of events the MQTT fuzzer found: a valid CONNECT is accepted (the session is bound, registered and
 * counted), then a CONNECT with an unacceptable protocol version arrives on the same socket; Vert.x MQTT answers it on
 * a new endpoint that replaces the first, so when the socket closes the first endpoint's close handler never runs.
 */
class DeviceSessionEndTest {
    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(registry);
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final Retry retry = new Retry(new Backoff(Duration.ofMillis(10), Duration.ofMillis(10), () -> 0.5), scheduler);
    private final MessagingSpans spans = new MessagingSpans(OpenTelemetry.noop());
    private final EventPublisher events = new EventPublisher(producer, "gw-a", spans, retry);
    private final GatewayStore store = new RedisGatewayStore(redisAnsweringOne());
    private final Connections connections = new Connections(store, "gw-a");
    private final Promise<Void> socket = Promise.promise();
    private final FakeEndpoint endpoint = new FakeEndpoint("d1");
    private DeviceSession session;

    @AfterEach
    void stop() throws Exception {
        scheduler.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSessionWhoseEndpointWasReplacedEndsWhenItsSocketCloses() throws Exception {
        onContext(this::acceptConnect);
        assertEquals(1.0, openConnections());

        onContext(() -> socket.complete()); // the first endpoint's close handler is never called
        assertTrue(session.isClosed());
        assertEquals(0.0, openConnections(), "the connection is no longer counted");
        assertTrue(connections.get("d1").isEmpty(), "nor registered");
        assertEquals(List.of(PresenceEvent.Kind.CONNECTED, PresenceEvent.Kind.DISCONNECTED), presenceKinds());
    }

    @Test
    void anEndToldByBothTheEndpointAndTheSocketCountsOnce() throws Exception {
        onContext(this::acceptConnect);

        onContext(() -> {
            endpoint.closeHandler.handle(null);
            socket.complete();
        });
        assertEquals(0.0, openConnections());
        assertEquals(List.of(PresenceEvent.Kind.CONNECTED, PresenceEvent.Kind.DISCONNECTED), presenceKinds());
    }

    @Test
    void aSocketThatClosesBetweenBindAndConnackIsNeverCounted() throws Exception {
        onContext(() -> {
            session = newSession();
            session.bind();
            connections.register(session);
        });
        onContext(() -> socket.complete());
        onContext(() -> session.metered(metrics.connected("3.1.1", "tcp"))); // the CONNECT's checks complete after the close
        assertEquals(0.0, openConnections());
        assertTrue(connections.get("d1").isEmpty());
    }

    /** EndpointSocket reads the socket out of Vert.x MQTT's endpoint: an upgrade that moves it must fail here, not leak again. */
    @Test
    void vertxMqttEndpointsStillHoldTheirSocketWhereEndpointSocketLooks() throws Exception {
        Class<?> socket = MqttEndpointImpl.class.getDeclaredField("conn").getType();
        assertEquals(NetSocketInternal.class, socket);
        assertTrue(ConnectionBase.class.isAssignableFrom(NetSocketImpl.class), "Vert.x's sockets have a close future");
    }

    /** What ConnectHandler does for a CONNECT it accepts: bind, register, count (CONNACK is the endpoint's business). */
    private void acceptConnect() {
        session = newSession();
        session.bind();
        connections.register(session);
        events.presence(session.presence(PresenceEvent.Kind.CONNECTED, null));
        session.metered(metrics.connected("3.1.1", "tcp"));
    }

    private DeviceSession newSession() {
        Acknowledgements acknowledgements = new Acknowledgements(fake(Inbox.class), "gw-a", retry, metrics);
        SessionServices services = new SessionServices(vertx, events, connections, store, GatewayFixture.SETTINGS,
                new MqttTracing(spans), acknowledgements, new FakeHooks(store, "gw-a"));
        return new DeviceSession(endpoint.proxy, socket.future(), SocketReading.UNPAUSABLE, 1L, context, services, Grants.NONE,
                SessionTerms.of(false, true, null, 30, Duration.ofHours(1), 60));
    }

    private double openConnections() {
        return registry.get("tether.gateway.connections").tags("protocol", "3.1.1", "transport", "tcp").gauge().value();
    }

    private List<PresenceEvent.Kind> presenceKinds() {
        return producer.history().stream().map(record -> Json.fromBytes(record.value(), PresenceEvent.class).kind()).toList();
    }

    private void onContext(Runnable action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                action.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }

    /** A Redis whose every command answers 1 at once (SADD/SREM of the device set). */
    @SuppressWarnings("unchecked")
    private static RedisAsyncCommands<String, String> redisAnsweringOne() {
        return (RedisAsyncCommands<String, String>) Proxy.newProxyInstance(DeviceSessionEndTest.class.getClassLoader(),
                new Class<?>[] {RedisAsyncCommands.class}, (proxy, method, args) -> {
                    AsyncCommand<String, String, Long> reply = new AsyncCommand<>(new Command<>(CommandType.SADD,
                            new IntegerOutput<>(StringCodec.UTF8)));
                    reply.complete(1L);
                    return reply;
                });
    }

    /** An interface whose methods are never expected to be called here. */
    @SuppressWarnings("unchecked")
    private static <T> T fake(Class<T> type) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
        });
    }

    /** An MQTT 3.1.1 endpoint that records the close handler it is given and otherwise accepts every call. */
    private static final class FakeEndpoint {
        final MqttEndpoint proxy;
        Handler<Void> closeHandler;

        @SuppressWarnings("unchecked")
        FakeEndpoint(String clientId) {
            proxy = (MqttEndpoint) Proxy.newProxyInstance(MqttEndpoint.class.getClassLoader(), new Class<?>[] {MqttEndpoint.class},
                    (self, method, args) -> switch (method.getName()) {
                        case "clientIdentifier" -> clientId;
                        case "protocolVersion" -> 4;
                        case "connectProperties" -> MqttProperties.NO_PROPERTIES;
                        case "isConnected" -> true;
                        case "will", "auth" -> null;
                        case "closeHandler" -> {
                            closeHandler = (Handler<Void>) args[0];
                            yield self;
                        }
                        default -> method.getReturnType() == MqttEndpoint.class ? self
                                : method.getReturnType() == boolean.class ? false : null;
                    });
        }
    }
}
