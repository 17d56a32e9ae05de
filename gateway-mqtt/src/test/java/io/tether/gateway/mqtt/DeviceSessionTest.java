package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.tether.contract.Headers;
import io.tether.contract.KafkaHeaders;
import io.tether.contract.MessageProperties;
import io.tether.contract.PresenceEvent.Kind;
import io.tether.gateway.store.GatewayStore;
import io.tether.gateway.testing.FakeEndpoint;
import io.tether.gateway.testing.GatewayFixture;
import io.tether.inbox.HandOver;
import io.tether.inbox.InboxEntry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttDisconnectMessage;
import io.vertx.mqtt.messages.MqttPubAckMessage;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * {@link DeviceSession} without sockets: a fake endpoint plays the client, Kafka is a MockProducer, Redis an in-memory
 * store. What each packet leads to (which part answers it, what is written where) and how a connection ends.
 */
class DeviceSessionTest {
    private static final String ID = "dev-1";
    private static final String OWN = "devices/" + ID + "/#";
    private static final long EPOCH = 7;
    /** MQTT 5, clean start off, kept for an hour after the connection ends: a stored session. */
    /** These connections end through their endpoint; their sockets are not watched here. */
    private static final Future<Void> NEVER_CLOSED = Promise.<Void>promise().future();
    private static final SessionTerms STORED = SessionTerms.of(true, false, 3600L, 30, Duration.ofHours(1), 60);
    /** MQTT 5, clean start, no expiry: the session lasts as long as the connection and is not stored. */
    private static final SessionTerms EPHEMERAL = SessionTerms.of(true, true, null, 30, Duration.ofHours(1), 60);

    private final GatewayFixture fx = new GatewayFixture();
    private final FakeEndpoint client = new FakeEndpoint().clientId(ID);

    /** Grants a topic outside the device's namespace (news/#) may be subscribed with. */
    private static final Grants NEWS = new Grants(List.of(new Grants.Grant("news/#", true, false)));

    private DeviceSession open(SessionTerms terms) {
        return open(terms, Map.of());
    }

    private DeviceSession open(SessionTerms terms, Map<String, Integer> resumed) {
        return open(terms, resumed, Grants.NONE);
    }

    private DeviceSession open(SessionTerms terms, Map<String, Integer> resumed, Grants grants) {
        return open(fx, client, terms, resumed, grants);
    }

    /** An accepted connection of {@code client} on the gateway {@code fx}. */
    private static DeviceSession open(GatewayFixture fx, FakeEndpoint client, SessionTerms terms, Map<String, Integer> resumed,
            Grants grants) {
        DeviceSession session = new DeviceSession(client.endpoint(), NEVER_CLOSED, client.reading(), EPOCH, fx.vertx.context(), fx.services, grants, terms);
        fx.vertx.onLoop(() -> {
            session.restore(resumed);
            session.bind();
            fx.connections.register(session);
            client.endpoint().accept(false, MqttProperties.NO_PROPERTIES);
            session.connackSent();
            session.accepted();
        });
        return session;
    }

    private void play(String handler, Object packet) {
        fx.vertx.onLoop(() -> client.receive(handler, packet));
        fx.vertx.settle();
    }

    private static MqttSubscribeMessage subscribe(int packetId, String filter, MqttQoS qos) {
        return MqttSubscribeMessage.create(packetId, List.of(new MqttTopicSubscription(filter, qos)), MqttProperties.NO_PROPERTIES);
    }

    private static MqttPublishMessage publish(String topic, MqttQoS qos, String payload, MqttProperties properties) {
        return MqttPublishMessage.create(11, qos, false, false, topic, Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8)),
                properties);
    }

    private static HandOver handOver(InboxEntry... entries) {
        return new HandOver(ID, EPOCH, List.of(entries));
    }

    private static InboxEntry entry(String id, String payload, long expiresAt, MessageProperties properties) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return new InboxEntry(id, "devices/" + ID + "/messages", bytes, "text/plain", 1, expiresAt, bytes.length, null, null, null,
                properties);
    }

    // ---- subscriptions --------------------------------------------------------------------------------------

    @Test
    void aSubscriptionInItsNamespaceIsStoredBeforeItsSubackAndMakesTheDeviceReceiving() {
        open(STORED);

        play("subscribeHandler", subscribe(1, OWN, MqttQoS.EXACTLY_ONCE));

        assertEquals(List.of("subscribe dev-1 7 {" + OWN + "=1}"), fx.store.calls("subscribe"));
        assertEquals(List.of(MqttSubAckReasonCode.GRANTED_QOS1), client.subackCodes(), "QoS 2 asked, Maximum QoS 1 granted");
        assertEquals(List.of(Kind.RECEIVING), fx.presenceKinds());

        play("subscribeHandler", subscribe(2, "devices/" + ID + "/other", MqttQoS.AT_LEAST_ONCE));
        assertEquals(List.of(Kind.RECEIVING), fx.presenceKinds(), "RECEIVING once per connection");
    }

    @Test
    void aGrantedFilterOutsideTheNamespaceJoinsTheTopicIndexAfterItIsStoredAndLeavesItOnUnsubscribe() {
        open(STORED, Map.of(), NEWS);

        play("subscribeHandler", subscribe(1, "news/#", MqttQoS.AT_LEAST_ONCE));
        play("subscribeHandler", subscribe(2, OWN, MqttQoS.AT_LEAST_ONCE));

        assertEquals(List.of("subscribe dev-1 7 {news/#=1}", "subscribe dev-1 7 {" + OWN + "=1}"), fx.store.calls("subscribe"));
        assertEquals(List.of("topic-subscribed dev-1 news/#"), fx.store.calls("topic-"), "its own namespace is not indexed");

        play("unsubscribeHandler", MqttUnsubscribeMessage.create(3, List.of("news/#")));
        assertEquals(List.of("topic-subscribed dev-1 news/#", "topic-unsubscribed dev-1 news/#"), fx.store.calls("topic-"));
    }

    @Test
    void anUnsubscribeStoredAfterVertxClosedTheEndpointStillLeavesTheTopicIndexButIsNotAnswered() {
        // A device that unsubscribes and disconnects at once: the stored session has lost the filter, so the topic
        // index must lose it too, though no UNSUBACK can go out.
        open(STORED, Map.of(), NEWS);
        play("subscribeHandler", subscribe(1, "news/#", MqttQoS.AT_LEAST_ONCE));
        fx.store.holdSessionWrites = true;
        play("unsubscribeHandler", MqttUnsubscribeMessage.create(2, List.of("news/#")));
        fx.vertx.onLoop(client::closedByVertx);

        fx.store.heldSessionWrites.get(0).complete(true);
        fx.vertx.settle();

        assertEquals(List.of("topic-subscribed dev-1 news/#", "topic-unsubscribed dev-1 news/#"), fx.store.calls("topic-"));
        assertFalse(client.kinds().contains("UNSUBACK"));
    }

    @Test
    void anUnsubscribeRightBehindASubscribeWhoseWriteIsOutWaitsForItAndRemovesTheFilter() {
        DeviceSession session = open(STORED);
        fx.store.holdSessionWrites = true;

        play("subscribeHandler", subscribe(1, OWN, MqttQoS.AT_LEAST_ONCE));
        play("unsubscribeHandler", MqttUnsubscribeMessage.create(2, List.of(OWN)));
        assertEquals(List.of("CONNACK"), client.kinds(), "nothing answered while the SUBSCRIBE's write is out");
        assertEquals(1, fx.store.heldSessionWrites.size(), "the UNSUBSCRIBE waits for the SUBSCRIBE");

        fx.store.heldSessionWrites.get(0).complete(true);
        fx.vertx.settle();
        assertEquals(List.of(MqttSubAckReasonCode.GRANTED_QOS1), client.subackCodes());
        fx.store.heldSessionWrites.get(1).complete(true);
        fx.vertx.settle();

        assertEquals(List.of("CONNACK", "SUBACK", "UNSUBACK"), client.kinds());
        assertEquals(List.of(MqttUnsubAckReasonCode.SUCCESS), client.unsubackCodes());
        assertEquals(List.of("unsubscribe dev-1 7 [" + OWN + "]"), fx.store.calls("unsubscribe"));
        session.deliver(handOver(entry("msg_1", "after the unsubscribe", 0, null)));
        fx.vertx.settle();
        assertTrue(client.published.isEmpty(), "unsubscribed: nothing is delivered");
    }

    @Test
    void aRequestWaitingBehindAWriteWhenTheConnectionClosesIsNotStartedAfterTheSessionEnded() {
        open(STORED, Map.of(), NEWS);
        fx.store.holdSessionWrites = true;
        play("subscribeHandler", subscribe(1, OWN, MqttQoS.AT_LEAST_ONCE));
        play("subscribeHandler", subscribe(2, "news/sports", MqttQoS.AT_LEAST_ONCE));
        fx.vertx.onLoop(client::dropSocket);
        fx.vertx.settle();

        fx.store.heldSessionWrites.get(0).complete(true);
        fx.vertx.settle();

        assertEquals(List.of("subscribe dev-1 7 {" + OWN + "=1}"), fx.store.calls("subscribe"),
                "the second SUBSCRIBE was never started");
    }

    @Test
    void thousandsOfRequestsBehindOneWriteAreAllAnsweredInOrderWithoutRecursion() {
        open(STORED);
        fx.store.holdSessionWrites = true;
        play("subscribeHandler", subscribe(1, OWN, MqttQoS.AT_LEAST_ONCE));
        for (int i = 0; i < 20_000; i++) {
            // nothing subscribed under that name: answered at once, no write
            play("unsubscribeHandler", MqttUnsubscribeMessage.create(2 + i, List.of("devices/" + ID + "/none")));
        }
        fx.store.heldSessionWrites.get(0).complete(true);
        fx.vertx.settle();

        assertEquals(20_000, client.kinds().stream().filter("UNSUBACK"::equals).count());
        fx.store.holdSessionWrites = false;
        play("subscribeHandler", subscribe(30_000, OWN, MqttQoS.AT_LEAST_ONCE));
        fx.vertx.settle();
        assertEquals(2, client.kinds().stream().filter("SUBACK"::equals).count(), "a later request is still answered");
    }

    @Test
    void aSessionThatEndsWithTheConnectionWritesNothingToRedis() {
        open(EPHEMERAL);

        play("subscribeHandler", subscribe(1, OWN, MqttQoS.AT_LEAST_ONCE));
        fx.vertx.onLoop(client::dropSocket);
        fx.vertx.settle();

        assertEquals(List.of(MqttSubAckReasonCode.GRANTED_QOS1), client.subackCodes());
        assertTrue(fx.store.calls("subscribe").isEmpty() && fx.store.calls("end").isEmpty(), fx.store.calls.toString());
    }

    @Test
    void aFilterOutsideTheNamespaceIsRefusedWithAReasonStringOnMqtt5AndPlain0x80OnMqtt311() {
        open(STORED);
        play("subscribeHandler", subscribe(1, "devices/someone-else/#", MqttQoS.AT_LEAST_ONCE));

        assertEquals(List.of(MqttSubAckReasonCode.NOT_AUTHORIZED), client.subackCodes());
        assertEquals("devices/someone-else/# is not allowed", FakeEndpoint.reasonString((MqttProperties) client.last("SUBACK").args()[2]));
        assertTrue(fx.presenceKinds().isEmpty());

        FakeEndpoint old = new FakeEndpoint().clientId(ID).mqtt311();
        DeviceSession legacy = new DeviceSession(old.endpoint(), NEVER_CLOSED, old.reading(), EPOCH, fx.vertx.context(), fx.services, Grants.NONE,
                SessionTerms.of(false, true, null, 30, Duration.ofHours(1), 60));
        fx.vertx.onLoop(() -> {
            legacy.bind();
            old.endpoint().accept(false, MqttProperties.NO_PROPERTIES);
        });
        fx.vertx.onLoop(() -> old.receive("subscribeHandler", subscribe(1, "devices/someone-else/#", MqttQoS.AT_LEAST_ONCE)));
        assertEquals(List.of(MqttSubAckReasonCode.UNSPECIFIED_ERROR), old.subackCodes());
        assertEquals(MqttProperties.NO_PROPERTIES, old.last("SUBACK").args()[2]);
    }

    @Test
    void oneFilterMoreThanTheBoundIsRefusedWithQuotaExceeded() {
        open(STORED);
        for (int i = 1; i <= GatewayFixture.SETTINGS.limits().maxSubscriptions(); i++) {
            play("subscribeHandler", subscribe(i, "devices/" + ID + "/t" + i, MqttQoS.AT_LEAST_ONCE));
        }

        play("subscribeHandler", subscribe(9, "devices/" + ID + "/one-more", MqttQoS.AT_LEAST_ONCE));
        assertEquals(List.of(MqttSubAckReasonCode.QUOTA_EXCEEDED), client.subackCodes());

        play("subscribeHandler", subscribe(10, "devices/" + ID + "/t1", MqttQoS.AT_MOST_ONCE));
        assertEquals(List.of(MqttSubAckReasonCode.GRANTED_QOS0), client.subackCodes(), "changing a held filter takes no room");
    }

    @Test
    void aSubscriptionRedisCouldNotStoreIsAnsweredUnspecifiedErrorAndNotUsed() {
        open(STORED);
        fx.store.failSessionWrites = true;

        play("subscribeHandler", subscribe(1, OWN, MqttQoS.AT_LEAST_ONCE));

        assertEquals(List.of(MqttSubAckReasonCode.UNSPECIFIED_ERROR), client.subackCodes());
        assertTrue(fx.presenceKinds().isEmpty(), "not receiving: the client was told it is not subscribed");
    }

    @Test
    void unsubscribeRemovesFromTheStoredSessionAndMqtt5LearnsWhichFiltersExisted() {
        open(STORED);
        play("subscribeHandler", subscribe(1, OWN, MqttQoS.AT_LEAST_ONCE));

        play("unsubscribeHandler", MqttUnsubscribeMessage.create(2, List.of(OWN, "devices/" + ID + "/never")));

        assertEquals(List.of("unsubscribe dev-1 7 [" + OWN + "]"), fx.store.calls("unsubscribe"));
        assertEquals(List.of(MqttUnsubAckReasonCode.SUCCESS, MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED), client.unsubackCodes());
    }

    @Test
    void aResumedSessionReceivesWithoutSubscribingAgain() {
        DeviceSession session = open(STORED, Map.of(OWN, 1, "devices/someone-else/#", 1));

        assertEquals(List.of(Kind.RECEIVING), fx.presenceKinds());
        session.deliver(handOver(entry("msg_1", "queued meanwhile", 0, null)));
        fx.vertx.settle();

        assertEquals(List.of("devices/dev-1/messages"), client.published.stream().map(FakeEndpoint.Published::topic).toList());
        assertTrue(client.kinds().stream().noneMatch("SUBACK"::equals));
    }

    @Test
    void whatAnEarlierConnectionMayHaveReceivedComesAgainWithItsPacketIdAndDupSet() {
        DeviceSession session = open(STORED, Map.of(OWN, 1));

        // msg_1 and msg_2 (inbox numbers 3 and 4) were handed to an earlier connection and not acknowledged; msg_3 never.
        session.deliver(new HandOver(ID, EPOCH, List.of(entry("msg_1", "a", 0, null), entry("msg_2", "b", 0, null),
                entry("msg_3", "c", 0, null)), List.of(3L, 4L, 65_540L), List.of(1, 2, 0)));
        fx.vertx.settle();

        assertEquals(List.of("3 dup", "4 dup", "5 new"), client.published.stream().map(p -> p.packetId() + (p.dup() ? " dup" : " new"))
                .toList(), "the packet id comes from the inbox number (65540 wraps to 5)");
        play("publishAcknowledgeMessageHandler", MqttPubAckMessage.create(4, MqttPubAckReasonCode.SUCCESS, MqttProperties.NO_PROPERTIES));
        assertEquals(List.of("ack dev-1 msg_2 delivered"), fx.inbox.calls);
    }

    // ---- downstream -----------------------------------------------------------------------------------------

    @Test
    void aHandOverIsPublishedWithTheBackendsPropertiesAndTheSecondsLeftAndItsPubackSettlesIt() {
        DeviceSession session = open(STORED);
        play("subscribeHandler", subscribe(1, OWN, MqttQoS.AT_LEAST_ONCE));
        MessageProperties extra = new MessageProperties(List.of(new MessageProperties.UserProperty("x-kind", "reply")),
                "devices/dev-1/answers", new byte[] {1, 2});

        session.deliver(handOver(entry("msg_1", "hello", System.currentTimeMillis() + 90_500, extra)));
        fx.vertx.settle();

        FakeEndpoint.Published sent = client.published.get(0);
        assertEquals(MqttQoS.AT_LEAST_ONCE, sent.qos());
        assertEquals("hello", new String(sent.payload(), StandardCharsets.UTF_8));
        assertEquals("msg_1", MqttProps.userProperty(sent.properties(), Headers.MESSAGE_ID).orElseThrow());
        assertEquals("reply", MqttProps.userProperty(sent.properties(), "x-kind").orElseThrow());
        MessageProperties carried = MqttProps.messageProperties(sent.properties());
        assertEquals("devices/dev-1/answers", carried.responseTopic());
        assertArrayEquals(new byte[] {1, 2}, carried.correlationData());
        int expiry = FakeEndpoint.intProperty(sent.properties(), MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL);
        assertTrue(expiry == 91 || expiry == 90, "seconds left, rounded up: " + expiry);

        play("publishAcknowledgeMessageHandler", MqttPubAckMessage.create(sent.packetId(), MqttPubAckReasonCode.SUCCESS,
                MqttProperties.NO_PROPERTIES));
        assertEquals(List.of("ack dev-1 msg_1 delivered"), fx.inbox.calls);
    }

    @Test
    void aQos0SubscriberGetsQos0DeliveriesSettledAtOnce() {
        DeviceSession session = open(STORED);
        play("subscribeHandler", subscribe(1, OWN, MqttQoS.AT_MOST_ONCE));

        session.deliver(handOver(entry("msg_1", "hi", 0, null)));
        fx.vertx.settle();

        assertEquals(MqttQoS.AT_MOST_ONCE, client.published.get(0).qos());
        assertEquals(List.of("ack dev-1 msg_1 delivered"), fx.inbox.calls);
    }

    @Test
    void aDeliveryAboveTheClientsMaximumPacketSizeIsFailedNotSent() {
        client.connectProperty(new MqttProperties.IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), 200));
        DeviceSession session = open(STORED);
        play("subscribeHandler", subscribe(1, OWN, MqttQoS.AT_LEAST_ONCE));

        session.deliver(handOver(entry("msg_big", "x".repeat(300), 0, null), entry("msg_small", "fits", 0, null)));
        fx.vertx.settle();

        assertEquals(List.of("ack dev-1 msg_big failed packet-too-large"), fx.inbox.calls);
        assertEquals(List.of("fits"), client.published.stream().map(p -> new String(p.payload(), StandardCharsets.UTF_8)).toList());
    }

    @Test
    void noPubackWithinTheDeadlineReportsTheDeviceDeaf() {
        DeviceSession session = open(STORED);
        play("subscribeHandler", subscribe(1, OWN, MqttQoS.AT_LEAST_ONCE));
        session.deliver(handOver(entry("msg_1", "hello", 0, null)));
        fx.vertx.settle();

        fx.vertx.fireAll();
        fx.vertx.settle();

        assertEquals(List.of(Kind.RECEIVING, Kind.ACK_TIMEOUT), fx.presenceKinds());
    }

    // ---- upstream -------------------------------------------------------------------------------------------

    @Test
    void aQos1PublishGoesToKafkaWithItsPropertiesAndIsAcknowledgedOnlyOnceKafkaHasIt() {
        GatewayFixture slowKafka = new GatewayFixture(false);
        FakeEndpoint device = new FakeEndpoint().clientId(ID);
        DeviceSession session = new DeviceSession(device.endpoint(), NEVER_CLOSED, device.reading(), EPOCH, slowKafka.vertx.context(), slowKafka.services, Grants.NONE,
                EPHEMERAL);
        slowKafka.vertx.onLoop(() -> {
            session.bind();
            device.endpoint().accept(false, MqttProperties.NO_PROPERTIES);
        });
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.UserProperty("x-app-version", "4.2"));
        props.add(new MqttProperties.StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), "devices/dev-1/answers/7"));
        props.add(new MqttProperties.BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), new byte[] {9, 8}));

        slowKafka.vertx.onLoop(() -> device.receive("publishHandler", publish("devices/dev-1/telemetry", MqttQoS.AT_LEAST_ONCE, "{}", props)));
        slowKafka.vertx.settle();
        assertFalse(device.kinds().contains("PUBACK"), "not before Kafka acknowledged");

        var record = slowKafka.upstream().get(0);
        assertEquals(java.util.Optional.of("4.2"), KafkaHeaders.get(record.headers(), "mqtt-user-x-app-version"));
        assertEquals(java.util.Optional.of("devices/dev-1/answers/7"), KafkaHeaders.get(record.headers(), Headers.RESPONSE_TOPIC));
        assertArrayEquals(new byte[] {9, 8}, record.headers().lastHeader(Headers.CORRELATION_DATA).value());

        slowKafka.kafka.completeNext();
        slowKafka.vertx.settle();
        assertEquals(MqttPubAckReasonCode.SUCCESS, device.pubackCode());
    }

    @Test
    void aPublishKafkaDoesNotTakeIsRefusedWith0x80AndCountedAsAnUpstreamFailure() {
        GatewayFixture slowKafka = new GatewayFixture(false);
        FakeEndpoint device = new FakeEndpoint().clientId(ID);
        DeviceSession session = acceptedOn(slowKafka, device, EPHEMERAL);
        slowKafka.vertx.onLoop(() -> session.metered(slowKafka.metrics.connected("5", "tcp")));

        slowKafka.vertx.onLoop(() -> device.receive("publishHandler", publish("devices/dev-1/telemetry", MqttQoS.AT_LEAST_ONCE, "{}",
                MqttProperties.NO_PROPERTIES)));
        slowKafka.vertx.settle();
        slowKafka.kafka.errorNext(new org.apache.kafka.common.errors.TimeoutException("Kafka is away"));
        slowKafka.vertx.settle();

        assertEquals(MqttPubAckReasonCode.UNSPECIFIED_ERROR, device.pubackCode());
        assertEquals(1, slowKafka.registry.get("tether.gateway.upstream.failures").counter().count());
        assertEquals(1, slowKafka.registry.get("tether.gateway.upstream.messages").counter().count());
    }

    @Test
    void aRecordDurableOnlyAfterVertxClosedTheEndpointSendsNoPubackAndRaisesNothing() {
        // Vert.x closes an endpoint (a takeover's DISCONNECT, a refusal) before it runs its close handler; the Kafka
        // answer that comes in between must not write to it (Vert.x throws on the event loop then).
        GatewayFixture slowKafka = new GatewayFixture(false);
        FakeEndpoint device = new FakeEndpoint().clientId(ID);
        DeviceSession session = new DeviceSession(device.endpoint(), NEVER_CLOSED, device.reading(), EPOCH, slowKafka.vertx.context(), slowKafka.services, Grants.NONE,
                EPHEMERAL);
        List<Throwable> raised = new java.util.concurrent.CopyOnWriteArrayList<>();
        slowKafka.vertx.context().exceptionHandler(raised::add);
        try {
            slowKafka.vertx.onLoop(() -> {
                session.bind();
                device.endpoint().accept(false, MqttProperties.NO_PROPERTIES);
                device.receive("publishHandler", publish("devices/dev-1/telemetry", MqttQoS.AT_LEAST_ONCE, "{}", MqttProperties.NO_PROPERTIES));
            });
            slowKafka.vertx.onLoop(device::closedByVertx);

            slowKafka.kafka.completeNext();
            slowKafka.vertx.settle();

            assertFalse(device.kinds().contains("PUBACK"));
            assertEquals(List.of(), raised);
        } finally {
            slowKafka.vertx.context().exceptionHandler(null);
        }
    }

    /** GatewayFixture.SETTINGS: QoS 1 PUBLISHes of one connection on their way to Kafka. */
    private static final int UPSTREAM_INFLIGHT = 4;

    /** A session on {@code slowKafka} for {@code device}, bound and accepted, neither stored nor subscribed. */
    private DeviceSession acceptedOn(GatewayFixture slowKafka, FakeEndpoint device, SessionTerms terms) {
        DeviceSession session = new DeviceSession(device.endpoint(), NEVER_CLOSED, device.reading(), EPOCH, slowKafka.vertx.context(),
                slowKafka.services, Grants.NONE, terms);
        slowKafka.vertx.onLoop(() -> {
            session.bind();
            device.endpoint().accept(false, MqttProperties.NO_PROPERTIES);
        });
        return session;
    }

    private static MqttPublishMessage publish(int packetId, String topic) {
        return MqttPublishMessage.create(packetId, MqttQoS.AT_LEAST_ONCE, false, false, topic, Unpooled.wrappedBuffer(new byte[] {'{', '}'}),
                MqttProperties.NO_PROPERTIES);
    }

    @Test
    void anMqtt311ClientBeyondTheInflightLimitIsHeldBackByStoppingReadingNotClosedAndEveryPublishIsAcknowledged() {
        // MQTT 3.1.1 has no Receive Maximum: a stock client may have more QoS 1 PUBLISHes outstanding than the gateway holds.
        GatewayFixture slowKafka = new GatewayFixture(false);
        FakeEndpoint old = new FakeEndpoint().clientId(ID).mqtt311();
        acceptedOn(slowKafka, old, SessionTerms.of(false, true, null, 30, Duration.ofHours(1), 60));

        for (int id = 1; id <= UPSTREAM_INFLIGHT; id++) {
            int packetId = id;
            slowKafka.vertx.onLoop(() -> old.receive("publishHandler", publish(packetId, "devices/dev-1/t")));
            assertEquals(packetId == UPSTREAM_INFLIGHT, old.isReadingPaused(), "reading stops once the budget is full, not before");
        }
        // Two more, read from the socket before the stop took effect: taken beyond the budget, not refused.
        for (int id = UPSTREAM_INFLIGHT + 1; id <= UPSTREAM_INFLIGHT + 2; id++) {
            int packetId = id;
            slowKafka.vertx.onLoop(() -> old.receive("publishHandler", publish(packetId, "devices/dev-1/t")));
        }
        slowKafka.vertx.settle();
        assertFalse(old.isClosed(), "held back, not closed");
        assertEquals(UPSTREAM_INFLIGHT + 2, slowKafka.upstream().size());
        assertFalse(old.kinds().contains("PUBACK"), "not before Kafka has them");

        // Six outstanding against a limit of four: reading resumes once there is room again, after the third.
        for (int done = 1; done <= 3; done++) {
            assertTrue(slowKafka.kafka.completeNext());
            slowKafka.vertx.settle();
            assertEquals(done < 3, old.isReadingPaused(), "after " + done + " written");
        }
        while (slowKafka.kafka.completeNext()) {
            slowKafka.vertx.settle();
        }
        slowKafka.vertx.settle();
        assertEquals(List.of(1, 2, 3, 4, 5, 6), old.sent.stream().filter(sent -> sent.kind().equals("PUBACK")).map(sent -> sent.args()[0])
                .toList());
        assertFalse(old.isClosed());
        assertFalse(old.isReadingPaused());
        assertEquals(1, old.readingPauses, "one stop for the whole burst");
    }

    @Test
    void anMqtt5ClientBeyondTheReceiveMaximumItWasToldIsDisconnectedWith0x93() {
        GatewayFixture slowKafka = new GatewayFixture(false);
        FakeEndpoint device = new FakeEndpoint().clientId(ID);
        acceptedOn(slowKafka, device, EPHEMERAL);

        for (int id = 1; id <= UPSTREAM_INFLIGHT + 1; id++) {
            int packetId = id;
            slowKafka.vertx.onLoop(() -> device.receive("publishHandler", publish(packetId, "devices/dev-1/t")));
        }

        assertEquals(MqttDisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED, device.disconnectCode());
        assertEquals(UPSTREAM_INFLIGHT, slowKafka.upstream().size());
        assertEquals(0, device.readingPauses, "an MQTT 5 client knows its Receive Maximum: it is not held back");
    }

    @Test
    void aPublishOutsideItsTopicsIsRefusedWithPuback0x87AndAReasonString() {
        open(EPHEMERAL);

        play("publishHandler", publish("devices/other/x", MqttQoS.AT_LEAST_ONCE, "{}", MqttProperties.NO_PROPERTIES));

        assertEquals(MqttPubAckReasonCode.NOT_AUTHORIZED, client.pubackCode());
        assertNotNull(FakeEndpoint.reasonString((MqttProperties) client.last("PUBACK").args()[2]));
        assertTrue(fx.upstream().isEmpty());
    }

    @Test
    void aPayloadAboveTheLimitIsRefusedWithPuback0x97OnMqtt5AndTheConnectionStays() {
        // Within the Maximum Packet Size CONNACK announced: a DISCONNECT would have the client resend it on every resumption.
        open(EPHEMERAL);
        String big = "x".repeat(GatewayFixture.SETTINGS.maxPayloadBytes() + 1);

        play("publishHandler", publish("devices/dev-1/t", MqttQoS.AT_LEAST_ONCE, big, MqttProperties.NO_PROPERTIES));
        assertEquals(MqttPubAckReasonCode.QUOTA_EXCEEDED, client.pubackCode());
        assertEquals("payload of 1025 bytes; at most 1024 are accepted",
                FakeEndpoint.reasonString((MqttProperties) client.last("PUBACK").args()[2]));

        play("publishHandler", publish("devices/dev-1/t", MqttQoS.AT_MOST_ONCE, big, MqttProperties.NO_PROPERTIES));
        assertEquals(List.of("CONNACK", "PUBACK"), client.kinds(), "QoS 0 is dropped, unanswered");
        assertTrue(fx.upstream().isEmpty());

        play("publishHandler", publish("devices/dev-1/t", MqttQoS.AT_LEAST_ONCE, "fits", MqttProperties.NO_PROPERTIES));
        assertFalse(client.isClosed());
        assertEquals(MqttPubAckReasonCode.SUCCESS, client.pubackCode());
        assertEquals(1, fx.upstream().size());
    }

    @Test
    void aPayloadAboveTheLimitClosesAnMqtt311Connection() {
        FakeEndpoint old = new FakeEndpoint().clientId(ID).mqtt311();
        acceptedOn(fx, old, SessionTerms.of(false, true, null, 30, Duration.ofHours(1), 60));

        fx.vertx.onLoop(() -> old.receive("publishHandler", publish("devices/dev-1/t", MqttQoS.AT_LEAST_ONCE,
                "x".repeat(GatewayFixture.SETTINGS.maxPayloadBytes() + 1), MqttProperties.NO_PROPERTIES)));
        fx.vertx.settle();

        assertEquals(List.of("CONNACK", "close"), old.kinds(), "3.1.1 has no way to refuse a PUBLISH but closing");
        assertEquals("packet-too-large", fx.presence().get(fx.presence().size() - 1).reason());
        assertTrue(fx.upstream().isEmpty());
    }

    @Test
    void qos2IsRefusedByDisconnect0x9bOnMqtt5AndByClosingOnMqtt311() {
        open(EPHEMERAL);
        play("publishHandler", publish("devices/dev-1/x", MqttQoS.EXACTLY_ONCE, "{}", MqttProperties.NO_PROPERTIES));
        assertEquals(MqttDisconnectReasonCode.QOS_NOT_SUPPORTED, client.disconnectCode());

        GatewayFixture other = new GatewayFixture();
        FakeEndpoint old = new FakeEndpoint().clientId(ID).mqtt311();
        DeviceSession legacy = new DeviceSession(old.endpoint(), NEVER_CLOSED, old.reading(), EPOCH, other.vertx.context(), other.services, Grants.NONE,
                SessionTerms.of(false, true, null, 30, Duration.ofHours(1), 60));
        other.vertx.onLoop(legacy::bind);
        other.vertx.onLoop(() -> old.receive("publishHandler", publish("devices/dev-1/x", MqttQoS.EXACTLY_ONCE, "{}",
                MqttProperties.NO_PROPERTIES)));
        assertTrue(old.isClosed());
        assertFalse(old.kinds().contains("DISCONNECT"), "MQTT 3.1.1 has no server DISCONNECT");
        assertTrue(other.upstream().isEmpty() && fx.upstream().isEmpty());
    }

    @Test
    void aTopicAliasEndsTheConnectionWith0x94AndAnEmptyTopicWithoutOneWith0x82() {
        MqttProperties alias = new MqttProperties();
        alias.add(new MqttProperties.IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), 1));
        open(EPHEMERAL);
        play("publishHandler", publish("devices/dev-1/x", MqttQoS.AT_LEAST_ONCE, "{}", alias));
        assertEquals(MqttDisconnectReasonCode.TOPIC_ALIAS_INVALID, client.disconnectCode(), "CONNACK left Topic Alias Maximum at 0");
        assertEquals("topic-alias", fx.presence().get(fx.presence().size() - 1).reason());

        GatewayFixture other = new GatewayFixture();
        FakeEndpoint second = new FakeEndpoint().clientId(ID);
        open(other, second, EPHEMERAL, Map.of(), Grants.NONE);
        other.vertx.onLoop(() -> second.receive("publishHandler", publish("", MqttQoS.AT_LEAST_ONCE, "{}", MqttProperties.NO_PROPERTIES)));
        assertEquals(MqttDisconnectReasonCode.PROTOCOL_ERROR, second.disconnectCode());
        assertTrue(fx.upstream().isEmpty() && other.upstream().isEmpty());
        assertFalse(client.kinds().contains("PUBACK") || second.kinds().contains("PUBACK"), "a protocol error, not a refusal");
    }

    @Test
    void aSubscriptionIdentifierInAPublishEndsTheConnectionWith0x82() {
        MqttProperties identified = new MqttProperties();
        identified.add(new MqttProperties.IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), 5));
        open(EPHEMERAL);

        play("publishHandler", publish("devices/dev-1/x", MqttQoS.AT_LEAST_ONCE, "{}", identified));

        assertEquals(MqttDisconnectReasonCode.PROTOCOL_ERROR, client.disconnectCode(), "[MQTT-3.3.4-6]");
        assertEquals("subscription-identifier", fx.presence().get(fx.presence().size() - 1).reason());
        assertFalse(client.kinds().contains("PUBACK"), "a protocol error, not a refusal");
        assertTrue(fx.upstream().isEmpty());
    }

    @Test
    void aNulInATopicNameOrFilterIsAMalformedPacketOnMqtt5() {
        open(STORED);
        play("publishHandler", publish("devices/dev-1/a\u0000b", MqttQoS.AT_LEAST_ONCE, "{}", MqttProperties.NO_PROPERTIES));
        assertEquals(MqttDisconnectReasonCode.MALFORMED_PACKET, client.disconnectCode(), "[MQTT-1.5.4-2]");
        assertEquals("malformed", fx.presence().get(fx.presence().size() - 1).reason());
        assertFalse(client.kinds().contains("PUBACK"), "malformed, not refused with 0x87");
        assertTrue(fx.upstream().isEmpty());

        GatewayFixture subscribing = new GatewayFixture();
        FakeEndpoint second = new FakeEndpoint().clientId(ID);
        open(subscribing, second, STORED, Map.of(), Grants.NONE);
        subscribing.vertx.onLoop(() -> second.receive("subscribeHandler", subscribe(1, "devices/dev-1/\u0000/#", MqttQoS.AT_LEAST_ONCE)));
        subscribing.vertx.settle();
        assertEquals(MqttDisconnectReasonCode.MALFORMED_PACKET, second.disconnectCode());
        assertFalse(second.kinds().contains("SUBACK"), "malformed, not refused with 0x8F");
        assertEquals(List.of(), subscribing.store.calls("subscribe"));

        GatewayFixture unsubscribing = new GatewayFixture();
        FakeEndpoint third = new FakeEndpoint().clientId(ID);
        open(unsubscribing, third, STORED, Map.of(), Grants.NONE);
        unsubscribing.vertx.onLoop(() -> third.receive("unsubscribeHandler", MqttUnsubscribeMessage.create(2,
                List.of("devices/dev-1/\u0000"), MqttProperties.NO_PROPERTIES)));
        unsubscribing.vertx.settle();
        assertEquals(MqttDisconnectReasonCode.MALFORMED_PACKET, third.disconnectCode());
        assertFalse(third.kinds().contains("UNSUBACK"));
    }

    @Test
    void aNulInATopicNameOrFilterClosesAnMqtt311Connection() {
        for (Object packet : List.of(publish("devices/dev-1/a\u0000b", MqttQoS.AT_LEAST_ONCE, "{}", MqttProperties.NO_PROPERTIES),
                subscribe(1, "devices/dev-1/\u0000/#", MqttQoS.AT_LEAST_ONCE))) {
            GatewayFixture gateway = new GatewayFixture();
            FakeEndpoint old = new FakeEndpoint().clientId(ID).mqtt311();
            acceptedOn(gateway, old, SessionTerms.of(false, true, null, 30, Duration.ofHours(1), 60));

            String handler = packet instanceof MqttPublishMessage ? "publishHandler" : "subscribeHandler";
            gateway.vertx.onLoop(() -> old.receive(handler, packet));
            gateway.vertx.settle();

            assertEquals(List.of("CONNACK", "close"), old.kinds(), handler + ": 3.1.1 has no DISCONNECT to send, the connection closes");
            assertEquals("malformed", gateway.presence().get(gateway.presence().size() - 1).reason());
            assertTrue(gateway.upstream().isEmpty());
        }
    }

    @Test
    void aSubscriptionIdentifierEndsTheConnectionWith0xA1BeforeAnythingIsStored() {
        MqttProperties identified = new MqttProperties();
        identified.add(new MqttProperties.IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), 5));
        open(STORED);

        play("subscribeHandler", MqttSubscribeMessage.create(1, List.of(new MqttTopicSubscription(OWN, MqttQoS.AT_LEAST_ONCE)),
                identified));

        assertEquals(MqttDisconnectReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED, client.disconnectCode());
        assertFalse(client.kinds().contains("SUBACK"));
        assertEquals(List.of(), fx.store.calls("subscribe"));
    }

    @Test
    void aSharedSubscriptionEndsTheConnectionWith0x9eOnMqtt5AndIsAFilterLikeAnotherOnMqtt311() {
        open(STORED);
        play("subscribeHandler", MqttSubscribeMessage.create(1, List.of(new MqttTopicSubscription(OWN, MqttQoS.AT_LEAST_ONCE),
                new MqttTopicSubscription("$share/g/" + OWN, MqttQoS.AT_LEAST_ONCE)), MqttProperties.NO_PROPERTIES));
        assertEquals(MqttDisconnectReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, client.disconnectCode());
        assertFalse(client.kinds().contains("SUBACK"), "not even for the filter that would have been granted");
        assertEquals(List.of(), fx.store.calls("subscribe"));

        GatewayFixture other = new GatewayFixture();
        FakeEndpoint old = new FakeEndpoint().clientId(ID).mqtt311();
        open(other, old, SessionTerms.of(false, true, null, 30, Duration.ofHours(1), 60), Map.of(), Grants.NONE);
        other.vertx.onLoop(() -> old.receive("subscribeHandler", subscribe(1, "$share/g/" + OWN, MqttQoS.AT_LEAST_ONCE)));
        other.vertx.settle();
        assertEquals(List.of(MqttSubAckReasonCode.UNSPECIFIED_ERROR), old.subackCodes(), "refused by the topic policy, 0x80 on 3.1.1");
        assertFalse(old.isClosed());
    }

    @Test
    void theLifecycleSignalIsAPresenceEventAcknowledgedOnceWritten() {
        open(EPHEMERAL);

        play("publishHandler", publish("$tether/lifecycle", MqttQoS.AT_LEAST_ONCE, "background", MqttProperties.NO_PROPERTIES));

        assertEquals(List.of(Kind.BACKGROUND), fx.presenceKinds());
        assertEquals(MqttPubAckReasonCode.SUCCESS, client.pubackCode());
    }

    // ---- the end --------------------------------------------------------------------------------------------

    @Test
    void aTakeoverSends0x8eWithAReasonStringAndTheEndKeepsTheSessionForItsExpiry() {
        DeviceSession session = open(STORED);

        session.takeOver();
        fx.vertx.settle();

        assertEquals(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, client.disconnectCode());
        assertEquals("a newer connection took the session over", FakeEndpoint.reasonString(client.disconnectProperties()));
        assertEquals(List.of("end dev-1 7 3600"), fx.store.calls("end"));
        assertEquals("takeover", fx.presence().get(fx.presence().size() - 1).reason());
        assertTrue(fx.connections.get(ID).isEmpty());
    }

    @Test
    void aTakeoverOfAnOlderConnectionDoesNotRemoveTheNewerOneFromTheTable() {
        DeviceSession older = open(STORED);
        FakeEndpoint newerClient = new FakeEndpoint().clientId(ID);
        DeviceSession newer = new DeviceSession(newerClient.endpoint(), NEVER_CLOSED, newerClient.reading(), EPOCH + 1, fx.vertx.context(), fx.services, Grants.NONE, STORED);
        fx.vertx.onLoop(() -> {
            newer.bind();
            newerClient.endpoint().accept(false, MqttProperties.NO_PROPERTIES);
            newer.connackSent();
            fx.connections.register(newer).ifPresent(DeviceSession::takeOver);
        });
        fx.vertx.settle();

        assertTrue(client.isClosed());
        assertEquals(newer, fx.connections.get(ID).orElseThrow());
        assertFalse(fx.connections.takenOverElsewhere(ID, EPOCH), "an older epoch elsewhere never takes the newer one over");
        assertTrue(fx.connections.takenOverElsewhere(ID, EPOCH + 5));
        fx.vertx.settle();
        assertEquals(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, newerClient.disconnectCode());
        assertNotNull(older);
    }

    @Test
    void revokedCredentialsEndTheConnectionWithNotAuthorized() {
        DeviceSession session = open(EPHEMERAL);

        session.revoke();
        fx.vertx.settle();

        assertEquals(MqttDisconnectReasonCode.NOT_AUTHORIZED, client.disconnectCode());
        assertEquals("revoked", fx.presence().get(fx.presence().size() - 1).reason());
    }

    @Test
    void aCleanDisconnectMayShortenTheExpiryAndPublishesNoWill() {
        client.will(new MqttWill(true, "devices/dev-1/status", Buffer.buffer("gone"), 1, false, MqttProperties.NO_PROPERTIES));
        open(STORED);
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 60));

        play("disconnectMessageHandler", MqttDisconnectMessage.create(MqttDisconnectReasonCode.NORMAL, props));
        fx.vertx.onLoop(client::dropSocket);
        fx.vertx.settle();

        assertEquals(List.of("end dev-1 7 60"), fx.store.calls("end"));
        assertTrue(fx.upstream().isEmpty(), "a clean DISCONNECT discards the will");
        assertEquals("clean", fx.presence().get(fx.presence().size() - 1).reason());
    }

    @Test
    void aDisconnectWithWillMessageOrAnErrorCodePublishesTheWill() {
        // Only 0x00 discards the will [MQTT-3.14.4-3].
        for (MqttDisconnectReasonCode code : List.of(MqttDisconnectReasonCode.WITH_WILL_MESSAGE,
                MqttDisconnectReasonCode.UNSPECIFIED_ERROR)) {
            GatewayFixture gateway = new GatewayFixture();
            FakeEndpoint device = new FakeEndpoint().clientId(ID)
                    .will(new MqttWill(true, "devices/dev-1/status", Buffer.buffer("gone"), 1, false, MqttProperties.NO_PROPERTIES));
            DeviceSession session = acceptedOn(gateway, device, EPHEMERAL);
            gateway.vertx.onLoop(session::connackSent);

            gateway.vertx.onLoop(() -> device.receive("disconnectMessageHandler", MqttDisconnectMessage.create(code,
                    MqttProperties.NO_PROPERTIES)));
            gateway.vertx.onLoop(device::dropSocket);
            gateway.vertx.settle();

            assertEquals(1, gateway.upstream().size(), code + " keeps the will");
            assertEquals("gone", new String(gateway.upstream().get(0).value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anMqtt311DisconnectDiscardsTheWill() {
        FakeEndpoint old = new FakeEndpoint().clientId(ID).mqtt311()
                .will(new MqttWill(true, "devices/dev-1/status", Buffer.buffer("gone"), 1, false, MqttProperties.NO_PROPERTIES));
        DeviceSession session = acceptedOn(fx, old, SessionTerms.of(false, true, null, 30, Duration.ofHours(1), 60));
        fx.vertx.onLoop(session::connackSent);

        fx.vertx.onLoop(() -> old.receive("disconnectMessageHandler", MqttDisconnectMessage.create(MqttDisconnectReasonCode.NORMAL,
                MqttProperties.NO_PROPERTIES)));
        fx.vertx.onLoop(old::dropSocket);
        fx.vertx.settle();

        assertTrue(fx.upstream().isEmpty());
    }

    @Test
    void aDroppedSocketPublishesTheWillAndReportsDisconnected() {
        client.will(new MqttWill(true, "devices/dev-1/status", Buffer.buffer("gone"), 1, false, MqttProperties.NO_PROPERTIES));
        open(EPHEMERAL);

        fx.vertx.onLoop(client::dropSocket);
        fx.vertx.settle();

        assertEquals("gone", new String(fx.upstream().get(0).value(), StandardCharsets.UTF_8));
        assertEquals(List.of(Kind.DISCONNECTED), fx.presenceKinds());
    }

    /** A will asking to wait {@code seconds} after an abnormal end (MQTT 5 Will Delay Interval). */
    private static MqttWill delayedWill(int seconds) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.WILL_DELAY_INTERVAL.value(), seconds));
        return new MqttWill(true, "devices/dev-1/status", Buffer.buffer("gone"), 1, false, properties);
    }

    @Test
    void aDelayedWillWaitsItsDelayAndGoesOutWhenNoNewerConnectionClaimedTheDevice() {
        client.will(delayedWill(2));
        open(STORED);
        fx.store.holders.put(ID, EPOCH);

        fx.vertx.onLoop(client::dropSocket);
        fx.vertx.settle();

        assertTrue(fx.upstream().isEmpty(), "not before its delay");
        assertEquals(List.of("will-decision dev-1 7"), fx.store.calls("will-"), "nothing decided yet: the decision only is read");
        assertTrue(fx.vertx.armedDelays().contains(2000L), "armed for the Will Delay Interval: " + fx.vertx.armedDelays());
        fx.vertx.fireAll();
        fx.vertx.settle();
        assertEquals(List.of("will-decision dev-1 7", "will-check dev-1 7"), fx.store.calls("will-"), "the full check at its delay");
        assertEquals("gone", new String(fx.upstream().get(0).value(), StandardCharsets.UTF_8));
    }

    @Test
    void theFirstConnectionAfterItResumingTheSessionDropsTheWillAtItsDelayIfItsNoticeWasMissed() {
        client.will(delayedWill(2));
        open(STORED);

        fx.vertx.onLoop(client::dropSocket);
        fx.vertx.settle();
        // Decided on another gateway; its will notice never came. A clean start after it changes nothing.
        fx.store.decisions.put("dev-1 7", GatewayStore.Decision.RESUMED);
        fx.store.holders.put(ID, EPOCH + 2);

        fx.vertx.fireAll();
        fx.vertx.settle();
        assertTrue(fx.upstream().isEmpty(), "[MQTT-3.1.3-9]");
    }

    @Test
    void theFirstConnectionAfterItBeginningANewSessionSendsTheWillAtItsDelayIfItsNoticeWasMissed() {
        client.will(delayedWill(2));
        open(STORED);

        fx.vertx.onLoop(client::dropSocket);
        fx.vertx.settle();
        fx.store.decisions.put("dev-1 7", GatewayStore.Decision.NEW_SESSION); // and a resume of that new one after it
        fx.store.holders.put(ID, EPOCH + 2);

        fx.vertx.fireAll();
        fx.vertx.settle();
        assertEquals(1, fx.upstream().size());
    }

    @Test
    void withNoDecisionRecordedANewerConnectionOfTheDeviceCancelsTheWillAtItsDelay() {
        client.will(delayedWill(2));
        open(STORED);

        fx.vertx.onLoop(client::dropSocket);
        fx.vertx.settle();
        fx.store.holders.put(ID, EPOCH + 1); // claimed by a gateway that records no decision, or the record is gone

        fx.vertx.fireAll();
        fx.vertx.settle();
        assertTrue(fx.upstream().isEmpty(), "never a will that must not go");
    }

    /** Lets a will's hops run: its end, the Redis read at hold, the decision, each queued behind the one before. */
    private void settleHops() {
        for (int hop = 0; hop < 4; hop++) {
            fx.vertx.settle();
        }
    }

    @Test
    void aWillNoticeOrAClaimHereSettlesTheWillAtOnce() {
        client.will(delayedWill(600));
        open(STORED);
        fx.vertx.onLoop(client::dropSocket);
        settleHops();

        fx.services.wills().settle(ID, EPOCH + 1, false); // about another connection: not this will's
        settleHops();
        assertTrue(fx.upstream().isEmpty());
        fx.services.wills().settle(ID, EPOCH, false); // the first connection after it began a new session
        settleHops();

        assertEquals("gone", new String(fx.upstream().get(0).value(), StandardCharsets.UTF_8), "without waiting its 10 minutes");
        fx.vertx.fireAll();
        settleHops();
        assertEquals(1, fx.upstream().size(), "once");
    }

    @Test
    void aWillDecidedBeforeItWasHeldIsSettledAtOnce() {
        // A takeover ended the connection: the claim that took it over decided, and its notice came before the end.
        client.will(delayedWill(600));
        DeviceSession session = open(STORED);
        fx.store.decisions.put("dev-1 7", GatewayStore.Decision.NEW_SESSION);

        session.takeOver();
        settleHops();

        assertEquals(1, fx.upstream().size(), "sent at once: the will's session ended");
        assertEquals(0, fx.services.wills().size());
    }

    @Test
    void aSessionExpiringBeforeTheWillDelaySendsTheWillAtItsEnd() {
        client.will(delayedWill(60));
        open(SessionTerms.of(true, false, 5L, 30, Duration.ofHours(1), 60));

        fx.vertx.onLoop(client::dropSocket);
        fx.vertx.settle();

        assertTrue(fx.upstream().isEmpty());
        assertTrue(fx.vertx.armedDelays().contains(5000L), "armed for the session's expiry: " + fx.vertx.armedDelays());
        fx.vertx.fireAll();
        fx.vertx.settle();
        assertEquals(1, fx.upstream().size());
    }

    @Test
    void aDelayedWillOfASessionEndingWithItsConnectionGoesOutAtOnce() {
        client.will(delayedWill(60));
        open(EPHEMERAL);

        fx.vertx.onLoop(client::dropSocket);
        fx.vertx.settle();

        assertEquals(1, fx.upstream().size(), "the session ended, so the will is due [MQTT-3.1.3-9]");
        assertTrue(fx.store.calls("will-").isEmpty());
    }

    @Test
    void aDelayedWillGoesOutWhenRedisCannotSayWhetherTheDeviceIsBack() {
        client.will(delayedWill(2));
        open(STORED);
        fx.store.holderFailure = new IllegalStateException("redis away");

        fx.vertx.onLoop(client::dropSocket);
        fx.vertx.settle();
        fx.vertx.fireAll();
        fx.vertx.settle();

        assertEquals(1, fx.upstream().size());
    }

    @Test
    void leavingReportsDisconnectedAndOnlyOnceKafkaHasItSendsTheDisconnectAndDropsNewHandOvers() {
        GatewayFixture slowKafka = new GatewayFixture(false);
        FakeEndpoint device = new FakeEndpoint().clientId(ID);
        DeviceSession session = receivingOnSlowKafka(slowKafka, device);

        CompletionStage<Void> closed = session.leave(MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN, MqttProperties.NO_PROPERTIES);
        slowKafka.vertx.settle();
        session.deliver(handOver(entry("msg_1", "late", 0, null)));
        slowKafka.vertx.settle();
        assertFalse(device.isClosed(), "waits for Kafka to have the DISCONNECTED");
        assertEquals("shutdown", slowKafka.presence().get(slowKafka.presence().size() - 1).reason());

        slowKafka.kafka.completeNext();
        slowKafka.vertx.settle();
        assertEquals(MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN, device.disconnectCode());
        assertTrue(closed.toCompletableFuture().isDone());
        assertTrue(device.published.isEmpty(), "nothing handed over while leaving is sent");
        assertEquals(2, slowKafka.presence().size(), "no second DISCONNECTED at close");
    }

    /** A session on {@code fixture} whose Kafka completes nothing by itself, registered, accepted and receiving. */
    private DeviceSession receivingOnSlowKafka(GatewayFixture slowKafka, FakeEndpoint device) {
        DeviceSession session = new DeviceSession(device.endpoint(), NEVER_CLOSED, device.reading(), EPOCH, slowKafka.vertx.context(), slowKafka.services, Grants.NONE,
                STORED);
        slowKafka.vertx.onLoop(() -> {
            session.restore(Map.of(OWN, 1));
            session.bind();
            slowKafka.connections.register(session);
            device.endpoint().accept(false, MqttProperties.NO_PROPERTIES);
            session.connackSent();
            session.accepted();
        });
        slowKafka.kafka.completeNext(); // RECEIVING
        return session;
    }

    /** A receiving session on {@code slowKafka} that the gateway drains; its DISCONNECTED is written, not yet answered. */
    private void drainedOnSlowKafka(GatewayFixture slowKafka, FakeEndpoint device) {
        receivingOnSlowKafka(slowKafka, device).leave(MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN, MqttProperties.NO_PROPERTIES);
        slowKafka.vertx.settle();
    }

    @Test
    void aDrainedConnectionWhoseDisconnectedKafkaRefusedClosesButStaysInTheDeviceSetForTheReaper() {
        GatewayFixture slowKafka = new GatewayFixture(false);
        FakeEndpoint device = new FakeEndpoint().clientId(ID);
        drainedOnSlowKafka(slowKafka, device);
        slowKafka.kafka.errorNext(new RuntimeException("kafka away"));
        slowKafka.vertx.settle();

        assertEquals(MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN, device.disconnectCode());
        assertTrue(slowKafka.connections.get(ID).isEmpty(), "out of the table");
        assertEquals(List.of(), slowKafka.store.calls("remove-device"), "still in the device set: fanout's reaper reports it gone");
    }

    @Test
    void aDrainedConnectionTheDeviceClosedFirstLeavesTheDeviceSetOnceKafkaHasItsDisconnected() {
        GatewayFixture slowKafka = new GatewayFixture(false);
        FakeEndpoint device = new FakeEndpoint().clientId(ID);
        drainedOnSlowKafka(slowKafka, device);
        slowKafka.vertx.onLoop(device::dropSocket);
        slowKafka.vertx.settle();
        assertEquals(List.of(), slowKafka.store.calls("remove-device"), "not before Kafka has the DISCONNECTED");

        slowKafka.kafka.completeNext();
        slowKafka.vertx.settle();
        assertEquals(List.of("remove-device gw-test dev-1"), slowKafka.store.calls("remove-device"));
        assertEquals(2, slowKafka.presence().size(), "RECEIVING and the one DISCONNECTED");
    }

    @Test
    void aKeepaliveTheGatewayCappedIsWatchedAtOneAndAHalfTimesIt() {
        FakeEndpoint lazy = new FakeEndpoint().clientId(ID).keepAlive(0);
        SessionTerms capped = SessionTerms.of(true, true, null, 0, Duration.ofHours(1), 60);
        DeviceSession session = new DeviceSession(lazy.endpoint(), NEVER_CLOSED, lazy.reading(), EPOCH, fx.vertx.context(), fx.services, Grants.NONE, capped);
        fx.vertx.onLoop(() -> {
            session.bind();
            session.accepted();
        });

        assertEquals(List.of(90_000L), fx.vertx.armedDelays());
    }
}
