package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.tether.contract.PresenceEvent;
import io.tether.gateway.store.GatewayStore;
import io.tether.gateway.testing.FakeEndpoint;
import io.tether.gateway.testing.GatewayFixture;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectHandler} without sockets or Redis: which CONNECTs are refused with which reason code, which epoch,
 * grants and session the accepted ones get, and that CONNACK waits for what presence and the session need.
 */
class ConnectHandlerTest {
    private static final String ID = "dev-1";
    private static final String PASSWORD = "s3cret";

    private final GatewayFixture fx = new GatewayFixture();
    private final ConnectHandler handler = new ConnectHandler(fx.services, fx.metrics, "tcp");

    private FakeEndpoint device() {
        return new FakeEndpoint().clientId(ID).credentials(ID, PASSWORD);
    }

    private void connect(FakeEndpoint client) {
        connect(fx, client);
    }

    private static void connect(GatewayFixture fixture, FakeEndpoint client) {
        fixture.vertx.onLoop(() -> new ConnectHandler(fixture.services, fixture.metrics, "tcp").handle(client.endpoint()));
        fixture.vertx.settle();
    }

    private double counter(String name, String reason) {
        var counter = fx.registry.find(name).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    // ---- refusals -------------------------------------------------------------------------------------------

    @Test
    void anUnknownDeviceIsRefusedNotAuthorizedWithAReasonStringAndNothingIsWritten() {
        FakeEndpoint client = device();
        connect(client);

        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5, client.refusal());
        assertEquals("unknown device or wrong credentials", FakeEndpoint.reasonString((MqttProperties) client.last("CONNACK-REFUSED").args()[1]));
        assertEquals(List.of("connect dev-1"), fx.store.calls);
        assertTrue(fx.presence().isEmpty());
        assertEquals(1, counter("tether.gateway.auth.failures", "bad-credentials"));
        assertEquals(List.of(ID), fx.hooks.refused, "the connect guard counts it against its source");
        assertTrue(fx.hooks.claims.isEmpty());
    }

    @Test
    void aWrongPasswordIsRefusedWithTheMqtt311CodeOnMqtt311AndClaimsNothing() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex("another"));
        FakeEndpoint client = device().mqtt311();

        connect(client);

        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, client.refusal());
        assertEquals(1, client.last("CONNACK-REFUSED").args().length, "MQTT 3.1.1 CONNACK has no properties");
        assertTrue(fx.store.calls("claim").isEmpty(), "a refused connection never touches the stored session");
        assertTrue(fx.hooks.claims.isEmpty(), "nor claims the device");
        assertEquals(List.of(ID), fx.hooks.refused);
        assertTrue(fx.connections.get(ID).isEmpty());
    }

    @Test
    void aClientIdThatIsNoDeviceIdIsRefusedBeforeRedisIsAsked() {
        FakeEndpoint v5 = new FakeEndpoint().clientId("not/valid");
        FakeEndpoint v311 = new FakeEndpoint().clientId("").mqtt311();

        connect(v5);
        connect(v311);

        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID, v5.refusal());
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, v311.refusal());
        assertTrue(fx.store.calls.isEmpty());
        assertEquals(List.of("not/valid", ""), fx.hooks.refused);
    }

    @Test
    void anEmptyClientIdIsRefusedAsNotValidWithTheCodeOfItsVersion() {
        // Vert.x hands an empty client id on as none (Listeners turns its made-up ids off).
        FakeEndpoint v5 = new FakeEndpoint().clientId(null).credentials(ID, PASSWORD);
        FakeEndpoint v311 = new FakeEndpoint().clientId(null).credentials(ID, PASSWORD).mqtt311();

        connect(v5);
        connect(v311);

        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID, v5.refusal());
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, v311.refusal());
        assertTrue(fx.store.calls.isEmpty());
        assertEquals(0, counter("tether.gateway.auth.failures", "bad-credentials"));
    }

    @Test
    void anAuthenticationMethodIsRefusedWithBadAuthenticationMethodBeforeRedisIsAsked() {
        // Enhanced authentication is not supported; a server that does not support the method must refuse [MQTT-4.12.0-1].
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD)); // its password would do
        FakeEndpoint client = device().connectProperty(new MqttProperties.StringProperty(MqttPropertyType.AUTHENTICATION_METHOD.value(),
                "SCRAM-SHA-256"));

        connect(client);

        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD, client.refusal());
        assertEquals("enhanced authentication is not supported: connect with user name and password, or a client certificate",
                FakeEndpoint.reasonString((MqttProperties) client.last("CONNACK-REFUSED").args()[1]));
        assertTrue(client.isClosed());
        assertTrue(fx.store.calls.isEmpty());
        assertEquals(1, fx.registry.find("tether.gateway.connect.errors").tag("reason", "auth-method-unsupported").counter().count());
    }

    @Test
    void aNulInTheWillTopicIsAMalformedConnectRefusedBeforeAnythingElseOnEitherVersion() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD)); // its password would do
        MqttWill will = new MqttWill(true, "devices/dev-1/a\u0000b", Buffer.buffer("gone"), 1, false, MqttProperties.NO_PROPERTIES);
        FakeEndpoint v5 = device().will(will);
        // An invalid client id too: the packet's form is checked first [MQTT-3.1.4-1], so no failed login is counted.
        FakeEndpoint v311 = new FakeEndpoint().clientId("not/valid").credentials(ID, PASSWORD).mqtt311().will(will);

        connect(v5);
        connect(v311);

        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET, v5.refusal());
        assertTrue(v5.isClosed());
        assertTrue(v311.isClosed(), "MQTT 3.1.1 has no code for it: closed");
        assertTrue(v311.sent.stream().noneMatch(sent -> sent.kind().startsWith("CONNACK")), "without CONNACK");
        assertEquals(2, counter("tether.gateway.connect.errors", "malformed"));
        assertTrue(fx.store.calls.isEmpty(), "Redis is not asked");
        assertTrue(fx.hooks.refused.isEmpty(), "not counted against the source as a failed login");
    }

    @Test
    void redisAwayIsServerUnavailable() {
        fx.store.connectFailure = new IllegalStateException("redis away");
        FakeEndpoint v5 = device();
        FakeEndpoint v311 = device().mqtt311();

        connect(v5);
        connect(v311);

        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5, v5.refusal());
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, v311.refusal());
    }

    @Test
    void aWillAskingForQos2OrRetainIsRefusedOnMqtt5() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD));
        FakeEndpoint qos2 = device().will(new MqttWill(true, "devices/dev-1/status", Buffer.buffer("x"), 2, false, null));
        FakeEndpoint retained = device().will(new MqttWill(true, "devices/dev-1/status", Buffer.buffer("x"), 1, true, null));

        connect(qos2);
        connect(retained);

        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_QOS_NOT_SUPPORTED, qos2.refusal());
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_RETAIN_NOT_SUPPORTED, retained.refusal());
    }

    // ---- accepted -------------------------------------------------------------------------------------------

    @Test
    void connackWaitsForKafkaToHaveTheConnectedEventAndForTheSessionClaim() {
        GatewayFixture slow = new GatewayFixture(false);
        slow.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD));
        slow.store.holdClaims = true;
        FakeEndpoint client = device();

        connect(slow, client);
        assertFalse(client.kinds().contains("CONNACK"));
        assertEquals(List.of(PresenceEvent.Kind.CONNECTED), slow.presenceKinds(), "CONNECTED is on its way to Kafka");

        slow.kafka.completeNext();
        slow.vertx.settle();
        assertFalse(client.kinds().contains("CONNACK"), "Kafka has it, the session claim is still out");

        slow.store.heldClaims.get(0).complete(GatewayStore.Claim.HELD);
        slow.vertx.settle();
        assertEquals(List.of("CONNACK"), client.kinds());
    }

    @Test
    void theNewEpochGoesIntoPresenceTheClaimAndTheDeviceSetAndTheDevicesGrantsApply() {
        fx.store.devices.put(ID, new GatewayStore.ConnectInfo(DeviceAuthenticator.sha256Hex(PASSWORD), "alice",
                Map.of("fleet/news", "subscribe"), 0, 0, GatewayStore.StoredSession.NONE));
        fx.store.userGrants.put("alice", Map.of("family/alice/#", "subscribe"));
        FakeEndpoint client = device();

        connect(client);

        PresenceEvent connected = fx.presence().get(0);
        assertEquals(PresenceEvent.Kind.CONNECTED, connected.kind());
        assertEquals(101, connected.epoch());
        assertEquals(GatewayFixture.GATEWAY_ID, connected.gatewayId());
        assertEquals(List.of("claim dev-1 101 clean=true kept=false expiry=0"), fx.store.calls("claim"));
        assertEquals(List.of("add-device gw-test dev-1"), fx.store.calls("add-device"));
        assertFalse(client.sessionPresent());

        fx.vertx.onLoop(() -> client.receive("subscribeHandler", MqttSubscribeMessage.create(1, List.of(
                new MqttTopicSubscription("fleet/news", MqttQoS.AT_LEAST_ONCE),
                new MqttTopicSubscription("family/alice/photos", MqttQoS.AT_LEAST_ONCE),
                new MqttTopicSubscription("fleet/other", MqttQoS.AT_LEAST_ONCE)), MqttProperties.NO_PROPERTIES)));
        assertEquals(List.of(MqttSubAckReasonCode.GRANTED_QOS1, MqttSubAckReasonCode.GRANTED_QOS1, MqttSubAckReasonCode.NOT_AUTHORIZED),
                client.subackCodes());
    }

    @Test
    void aStoredSessionResumesWithSessionPresentItsSubscriptionsAndReceivingWithoutASubscribe() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD),
                new GatewayStore.StoredSession(true, Map.of("devices/dev-1/#", 1)));
        FakeEndpoint client = device().cleanSession(false)
                .connectProperty(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 600));

        connect(client);

        assertTrue(client.sessionPresent());
        assertTrue(fx.connections.get(ID).orElseThrow().subscribedTo("devices/dev-1/messages"));
        assertEquals(List.of("claim dev-1 101 clean=false kept=true expiry=600"), fx.store.calls("claim"));
        assertEquals(List.of(PresenceEvent.Kind.CONNECTED, PresenceEvent.Kind.RECEIVING), fx.presenceKinds());
    }

    @Test
    void aCleanStartDiscardsTheStoredSession() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD),
                new GatewayStore.StoredSession(true, Map.of("devices/dev-1/#", 1)));
        FakeEndpoint client = device().cleanSession(true);

        connect(client);

        assertFalse(client.sessionPresent());
        assertEquals(List.of("claim dev-1 101 clean=true kept=false expiry=0"), fx.store.calls("claim"));
        assertEquals(List.of(PresenceEvent.Kind.CONNECTED), fx.presenceKinds(), "nothing restored: not receiving yet");
    }

    @Test
    void mqtt311WithCleanSessionOffKeepsItsSessionForTheGatewaysMaximum() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD),
                new GatewayStore.StoredSession(true, Map.of("devices/dev-1/#", 0)));
        FakeEndpoint client = device().mqtt311().cleanSession(false);

        connect(client);

        assertTrue(client.sessionPresent());
        assertEquals(List.of("claim dev-1 101 clean=false kept=true expiry=3600"), fx.store.calls("claim"));
        assertEquals(MqttProperties.NO_PROPERTIES, client.connackProperties());
    }

    @Test
    void connackAnnouncesLimitsAndWhatTheGatewayChangedOfTheClientsAsks() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD));
        FakeEndpoint client = device().cleanSession(false).keepAlive(0)
                .connectProperty(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 0xFFFF_FFFF));

        connect(client);

        MqttProperties connack = client.connackProperties();
        assertEquals(1, FakeEndpoint.intProperty(connack, MqttPropertyType.MAXIMUM_QOS));
        assertEquals(0, FakeEndpoint.intProperty(connack, MqttPropertyType.RETAIN_AVAILABLE));
        assertEquals(GatewayFixture.SETTINGS.maxPacketSize(), FakeEndpoint.intProperty(connack, MqttPropertyType.MAXIMUM_PACKET_SIZE));
        assertEquals(3600, FakeEndpoint.intProperty(connack, MqttPropertyType.SESSION_EXPIRY_INTERVAL), "never expires, capped to 1 h");
        assertEquals(60, FakeEndpoint.intProperty(connack, MqttPropertyType.SERVER_KEEP_ALIVE), "no keepalive, given the maximum");

        FakeEndpoint modest = device().keepAlive(30);
        connect(modest);
        assertNull(FakeEndpoint.intProperty(modest.connackProperties(), MqttPropertyType.SERVER_KEEP_ALIVE));
        assertNull(FakeEndpoint.intProperty(modest.connackProperties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL));
    }

    @Test
    void aSecondConnectionHereTakesTheFirstOverWith0x8e() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD));
        FakeEndpoint first = device();
        FakeEndpoint second = device();

        connect(first);
        connect(second);

        assertEquals(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, first.disconnectCode());
        assertFalse(second.isClosed());
        assertEquals(102, fx.connections.get(ID).orElseThrow().epoch());
    }

    @Test
    void anOlderConnectionOpenedAfterANewerOneHereIsTheOneTakenOver() {
        // Two CONNECTs of one device: connect.lua gives the first epoch 101 and the second 102, but the second's
        // answer comes first (they run on different event loops), so the newer session is registered first.
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD));
        fx.store.holdConnects = true;
        FakeEndpoint older = device();
        FakeEndpoint newer = device();
        connect(older);
        connect(newer);

        fx.vertx.onLoop(() -> fx.store.heldConnects.get(1).run());
        fx.vertx.settle();
        fx.vertx.onLoop(() -> fx.store.heldConnects.get(0).run());
        fx.vertx.settle();

        assertEquals(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, older.disconnectCode(), "accepted, then taken over at once");
        assertFalse(newer.isClosed(), "the newer connection stays");
        assertEquals(102, fx.connections.get(ID).orElseThrow().epoch());
    }

    @Test
    void theDeviceIsClaimedUnderTheCredentialVersionConnectReadNextToItsSession() {
        fx.store.devices.put(ID, new GatewayStore.ConnectInfo(DeviceAuthenticator.sha256Hex(PASSWORD), null, Map.of(), 0, 7,
                GatewayStore.StoredSession.NONE));

        connect(device());

        assertEquals(List.of("dev-1 101 v7"), fx.hooks.claims);
        assertEquals(List.of("claim dev-1 101 clean=true kept=false expiry=0"), fx.store.calls("claim"));
        assertTrue(fx.hooks.refused.isEmpty());
    }

    @Test
    void aDeviceClaimedByANewerConnectionMeanwhileIsAcceptedThenTakenOverWith0x8e() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD));
        fx.store.openOutcome = GatewayStore.Claim.TAKEN_OVER;
        FakeEndpoint client = device();

        connect(client);

        assertEquals(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, client.disconnectCode());
        assertEquals(List.of(PresenceEvent.Kind.CONNECTED), fx.presenceKinds().subList(0, 1));
        assertFalse(fx.presenceKinds().contains(PresenceEvent.Kind.RECEIVING), "a connection taken over never reports receiving");
    }

    @Test
    void credentialsChangedBetweenTheReadAndTheClaimAreRefusedNotAuthorizedWithAReason() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD));
        fx.store.openOutcome = GatewayStore.Claim.CREDENTIALS_CHANGED;
        FakeEndpoint client = device();

        connect(client);

        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5, client.refusal());
        assertEquals("the device's credentials changed while it connected",
                FakeEndpoint.reasonString((MqttProperties) client.last("CONNACK-REFUSED").args()[1]));
        assertEquals(List.of(ID), fx.hooks.refused);
        assertTrue(fx.connections.get(ID).isEmpty());
        assertEquals(List.of("remove-device gw-test dev-1"), fx.store.calls("remove-device"), "out of the device set again");
        assertEquals(List.of(), fx.store.calls("claim"), "no session taken");
    }

    /** A registered device whose CONNECT leaves a will ("gone" on its status topic). */
    private FakeEndpoint knownDeviceWithAWill() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD));
        return device().will(new MqttWill(true, "devices/dev-1/status", Buffer.buffer("gone"), 1, false, null));
    }

    @Test
    void aConnectRefusedAfterItsSessionWasBoundPublishesNoWill() {
        // MQTT stores a will only once the CONNECT is accepted; a device refused for changed credentials must not publish.
        fx.store.openOutcome = GatewayStore.Claim.CREDENTIALS_CHANGED;
        FakeEndpoint client = knownDeviceWithAWill();

        connect(client);

        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5, client.refusal());
        assertTrue(fx.upstream().isEmpty(), "no will from a refused connection");
    }

    @Test
    void aSocketClosedBeforeConnackPublishesNoWill() {
        fx.store.holdClaims = true;
        FakeEndpoint client = knownDeviceWithAWill();
        connect(client);

        fx.vertx.onLoop(client::dropSocket);
        fx.vertx.onLoop(() -> fx.store.heldClaims.get(0).complete(GatewayStore.Claim.HELD));
        fx.vertx.settle();

        assertEquals(List.of("close"), client.kinds(), "never accepted");
        assertTrue(fx.upstream().isEmpty(), "no will from a connection that was never accepted");
    }

    @Test
    void anAcceptedConnectionTakenOverAtOnceStillPublishesItsWill() {
        fx.store.openOutcome = GatewayStore.Claim.TAKEN_OVER;
        FakeEndpoint client = knownDeviceWithAWill();

        connect(client);

        assertEquals(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, client.disconnectCode());
        assertEquals("gone", new String(fx.upstream().get(0).value(), java.nio.charset.StandardCharsets.UTF_8),
                "CONNACK accepted it: a takeover ends it like any other close that is not a clean DISCONNECT");
    }

    /** What happens to a will of the device's connection 50 held here for a minute, as an abnormal end leaves one. */
    private List<String> heldWillOf50() {
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        fx.vertx.onLoop(() -> fx.services.wills().hold(ID, 50, 60_000, new PendingWills.Will() {
            @Override
            public void check() {
                heard.add("checked");
            }

            @Override
            public void replaced(long newer) {
                heard.add("replaced by " + newer);
            }

            @Override
            public java.util.concurrent.CompletionStage<?> recheck() {
                heard.add("rechecked");
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }

            @Override
            public void decided(boolean resumed) {
                heard.add(resumed ? "resumed" : "new session");
            }
        }));
        return heard;
    }

    private FakeEndpoint resuming() {
        return device().cleanSession(false)
                .connectProperty(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 600));
    }

    @Test
    void theFirstConnectionAfterAHeldWillsConnectionSettlesItAtOnceAsItsClaimDecided() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD), new GatewayStore.StoredSession(true, Map.of("devices/dev-1/#", 1)));
        fx.store.openFollows = 50;
        List<String> heard = heldWillOf50();
        FakeEndpoint client = resuming();

        connect(client);

        assertTrue(client.sessionPresent());
        assertEquals(List.of("resumed"), heard, "the same answer as Session Present, before any delay passed");
        assertEquals(0, fx.services.wills().size());
    }

    @Test
    void aFirstConnectionWithACleanStartSendsTheHeldWillAtOnce() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD), new GatewayStore.StoredSession(true, Map.of("devices/dev-1/#", 1)));
        fx.store.openFollows = 50;
        List<String> heard = heldWillOf50();
        FakeEndpoint client = device().cleanSession(true);

        connect(client);

        assertFalse(client.sessionPresent());
        assertEquals(List.of("new session"), heard, "its session ended with this clean start (§3.1.2.5)");
    }

    @Test
    void aConnectionWhoseClaimWasTakenOverSettlesNothing() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD), new GatewayStore.StoredSession(true, Map.of("devices/dev-1/#", 1)));
        fx.store.openFollows = 50; // what it would have followed, had it held the device
        fx.store.openOutcome = GatewayStore.Claim.TAKEN_OVER;
        List<String> heard = heldWillOf50();
        FakeEndpoint client = resuming();

        connect(client);

        assertEquals(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, client.disconnectCode());
        assertFalse(client.sessionPresent(), "its claim took no session");
        assertEquals(List.of(), heard, "the will waits for the connection that did come first (or its delay)");
        assertEquals(1, fx.services.wills().size());
    }

    @Test
    void sessionPresentIsTheClaimsAnswerNotWhatTheConnectRead() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD), new GatewayStore.StoredSession(true, Map.of("devices/dev-1/#", 1)));
        fx.store.sessionGoneAtClaim = true; // expired, or replaced, between connect.lua and claim.lua
        FakeEndpoint client = resuming();

        connect(client);

        assertFalse(client.sessionPresent());
        DeviceSession session = fx.connections.get(ID).orElseThrow();
        assertFalse(session.subscribedTo("devices/dev-1/messages"), "what was restored from the read is taken back");
        assertEquals(List.of(PresenceEvent.Kind.CONNECTED), fx.presenceKinds(), "so the device is not reported receiving");
        assertEquals(List.of(), fx.store.calls("unsubscribe"), "nothing to drop from a session that is not resumed");
    }

    @Test
    void aFailedClaimRefusesTheConnectionAndLeavesNoEntryInTheTableOrTheDeviceSet() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD));
        fx.store.holdClaims = true;
        FakeEndpoint client = device();
        connect(client);

        fx.store.heldClaims.get(0).completeExceptionally(new IllegalStateException("redis away"));
        fx.vertx.settle();

        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5, client.refusal());
        assertTrue(fx.connections.get(ID).isEmpty());
        assertEquals(List.of("remove-device gw-test dev-1"), fx.store.calls("remove-device"));
    }

    // ---- the socket closes before CONNACK -------------------------------------------------------------------

    private double openConnections() {
        return fx.registry.find("tether.gateway.connections").gauges().stream().mapToDouble(g -> g.value()).sum();
    }

    @Test
    void aSocketClosedWhileTheConnectIsCheckedLeavesNoSessionNoPresenceAndNoCount() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD));
        fx.store.holdConnects = true;
        FakeEndpoint client = device();
        connect(client);

        fx.vertx.onLoop(client::dropSocket);
        fx.vertx.onLoop(() -> fx.store.heldConnects.forEach(Runnable::run));
        fx.vertx.settle();

        assertEquals(List.of("close"), client.kinds(), "nothing answered on a closed socket");
        assertEquals(List.of(), fx.store.calls("claim"), "the stored session is left as it was");
        assertEquals(List.of(), fx.store.calls("add-device"));
        assertEquals(List.of(), fx.presence());
        assertTrue(fx.connections.get(ID).isEmpty());
        assertEquals(0, openConnections());
        assertEquals(1, counter("tether.gateway.connect.errors", "closed-before-connack"));
    }

    @Test
    void aSocketClosedWhileTheClaimIsOutEndsTheConnectionItOpenedAndUncountsIt() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD));
        fx.store.holdClaims = true;
        FakeEndpoint client = device().cleanSession(false)
                .connectProperty(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 600));
        connect(client);

        fx.vertx.onLoop(client::dropSocket);
        fx.vertx.onLoop(() -> fx.store.heldClaims.get(0).complete(GatewayStore.Claim.HELD));
        fx.vertx.settle();

        assertEquals(List.of("close"), client.kinds(), "no CONNACK on a closed socket");
        assertEquals(List.of("end dev-1 101 600"), fx.store.calls("end"), "the claimed session is kept for its expiry from now");
        assertEquals(List.of(PresenceEvent.Kind.CONNECTED, PresenceEvent.Kind.DISCONNECTED), fx.presenceKinds());
        assertTrue(fx.connections.get(ID).isEmpty());
        assertEquals(0, openConnections());
    }

    @Test
    void anEndpointVertxClosedWhileTheConnectWasCheckedCountsAsClosedBeforeConnackNotAsAnOutage() {
        fx.store.device(ID, DeviceAuthenticator.sha256Hex(PASSWORD));
        fx.store.holdConnects = true;
        FakeEndpoint client = device();
        connect(client);

        fx.vertx.onLoop(client::closedByVertx);
        fx.vertx.onLoop(() -> fx.store.heldConnects.forEach(Runnable::run));
        fx.vertx.settle();
        fx.vertx.onLoop(client::dropSocket);
        fx.vertx.settle();

        assertEquals(List.of("close"), client.kinds());
        assertEquals(List.of(), fx.store.calls("claim"));
        assertEquals(List.of(), fx.presence());
        assertTrue(fx.connections.get(ID).isEmpty());
        assertEquals(0, openConnections());
        assertEquals(1, counter("tether.gateway.connect.errors", "closed-before-connack"));
        assertEquals(0, counter("tether.gateway.connect.errors", "server-unavailable"));
    }
}
