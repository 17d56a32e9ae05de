package io.tether.push.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.contract.DeviceFields;
import io.tether.contract.Json;
import io.tether.contract.PushApp;
import io.tether.contract.PushRequest;
import io.tether.contract.PushTokenSlot;
import io.tether.contract.Receipt;
import io.tether.contract.RedisKeys;
import io.tether.contract.StoredPushToken;
import io.tether.push.apns.ApnsApp;
import io.tether.push.apns.ApnsClients;
import io.tether.push.apns.ApnsConnection;
import io.tether.push.apns.ApnsCredentials;
import io.tether.push.apns.ApnsEnvironment;
import io.tether.push.testing.ItSupport;
import io.tether.push.testing.MockApns;
import static io.tether.push.testing.ItSupport.hex;
import static io.tether.push.testing.ItSupport.only;
import io.tether.push.testing.TestKeys;
import io.tether.push.testing.TestTls;
import io.tether.push.testing.TopicReader;
import io.tether.testkit.TetherInfra;
import io.tether.runtime.kafka.KafkaClients;
import io.tether.runtime.kafka.KeyedConsumer;
import io.tether.runtime.tracing.MessagingSpans;
import com.eatthepath.pushy.apns.PushType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's push kinds against real parts: Pushy's MockApnsServer over real TLS checking token authentication,
 * topics (the key may push to the bundle id and its .voip and .push-type.liveactivity topics) and which tokens
 * belong to which topic, as APNs does; requests through a real Kafka broker; devices and tokens in a real Redis as
 * the registry writes them. Each test reads back what the mock received.
 */
class ApnsPushKindsIT {
    private static final String TEAM = "TEAM765432";
    private static final String KEY_ID = "KEY7654321";
    private static final String APP = "com.example.rides";
    private static final String VOIP_TOPIC = APP + ".voip";
    private static final String LA_TOPIC = APP + ".push-type.liveactivity";
    private static final String LIMITED = "com.example.limited"; // one notification per second, burst 1
    private static final String ALERTS_ONLY = "com.example.alerts"; // may not send VoIP

    @TempDir
    static Path dir;

    private static MockApns apns;
    private static ApnsClients clients;
    private static PushService service;
    private static KafkaProducer<String, byte[]> producer;
    private static TopicReader receipts;
    private static RedisClient redisClient;
    private static StatefulRedisConnection<String, String> redisConnection;
    private static RedisCommands<String, String> redis;
    private static PushTopics topics;

    @BeforeAll
    static void start() {
        TetherInfra infra = TetherInfra.shared();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        topics = new PushTopics("it-kinds-push-" + suffix, "it-kinds-receipts-" + suffix, "it-kinds-dlq-" + suffix);
        ItSupport.provision(infra.kafka().bootstrapServers(), topics);
        TestKeys.SigningKey key = TestKeys.signingKey(dir, TEAM, KEY_ID);
        TestTls.Identity server = TestTls.server(dir);
        apns = MockApns.start(server, Map.of(key.verificationKey(), Set.of(APP, VOIP_TOPIC, LA_TOPIC, LIMITED, ALERTS_ONLY)), null);
        ApnsCredentials.SigningKey teamKey = new ApnsCredentials.SigningKey(key.file(), TEAM, KEY_ID);
        clients = ApnsClients.create(List.of(
                        new ApnsApp("rides", APP, teamKey),
                        new ApnsApp("limited", LIMITED, teamKey, EnumSet.allOf(ApnsEnvironment.class), EnumSet.allOf(PushType.class),
                                new ApnsApp.RateLimit(1, 1)),
                        new ApnsApp("alerts", ALERTS_ONLY, teamKey, EnumSet.of(ApnsEnvironment.PRODUCTION),
                                EnumSet.of(PushType.ALERT, PushType.BACKGROUND), null)),
                new ApnsConnection(Optional.of("127.0.0.1"), Optional.of(apns.port()), Optional.of(server.pem()), 1, Duration.ofSeconds(5)));
        redisClient = RedisClient.create(infra.redis().uri());
        redisConnection = redisClient.connect();
        redis = redisClient.connect().sync();
        String bootstrap = infra.kafka().bootstrapServers();
        KafkaClients kafka = new KafkaClients(bootstrap, Map.of(), Map.of(), Map.of());
        producer = kafka.durableProducer("it-kinds");
        service = new PushService(kafka.groupConsumer("it-kinds-" + suffix, "it-kinds-consumer", KeyedConsumer.batchSize(100)), producer,
                redisConnection.async(), clients, topics, new PushService.Settings(100, Duration.ofMillis(200), Duration.ofSeconds(1)),
                new SimpleMeterRegistry(), Clock.systemUTC(), MessagingSpans.off());
        service.start();
        receipts = new TopicReader(bootstrap, topics.receipts());
    }

    @AfterAll
    static void stop() {
        ItSupport.closeAll(service == null ? null : service::stop, producer, receipts, clients, apns,
                redisClient == null ? null : redisClient::shutdown);
    }

    @Test
    void liveActivityIsStartedUpdatedTwiceAndEndedInActivityKitsShape() {
        // GIVEN a device with a push-to-start token for DeliveryAttributes, and (once started) the activity's own token
        String device = device(APP, null);
        String startToken = token(LA_TOPIC);
        setToken(device, PushTokenSlot.pushToStart("DeliveryAttributes"), startToken);
        String activityToken = token(LA_TOPIC);
        setToken(device, PushTokenSlot.liveActivity("act-1"), activityToken);

        // WHEN the backend starts it, updates it twice (the second at priority 10, with an alert) and ends it
        Receipt start = send(device, """
                {"liveActivity": {"event": "start", "timestamp": 1800000000, "contentState": {"eta": 20, "driver": "Ann"},
                                  "staleDate": 1800003600, "attributesType": "DeliveryAttributes",
                                  "attributes": {"orderId": "o-7"}},
                 "alert": {"title": "Order on its way", "body": "Ann picked it up"}, "sound": "chime.caf",
                 "relevanceScore": 0.5, "priority": 10}""");
        Receipt update1 = send(device, """
                {"liveActivity": {"event": "update", "timestamp": 1800000300, "contentState": {"eta": 12, "driver": "Ann"},
                                  "staleDate": 1800003900}, "activity": "act-1"}""");
        Receipt update2 = send(device, """
                {"liveActivity": {"event": "update", "timestamp": 1800000600, "contentState": {"eta": 2, "driver": "Ann"}},
                 "alert": {"title": "Almost there", "body": "2 minutes"}, "priority": 10, "activity": "act-1"}""");
        Receipt end = send(device, """
                {"liveActivity": {"event": "end", "timestamp": 1800000900, "contentState": {"eta": 0, "driver": "Ann"},
                                  "dismissalDate": 1800001200}, "activity": "act-1", "priority": 5}""");

        // THEN APNs got each on the right token, topic, push type and priority, with ActivityKit's fields
        for (Receipt receipt : List.of(start, update1, update2, end)) {
            assertEquals(Receipt.Outcome.PUSHED, receipt.outcome(), String.valueOf(receipt.reason()));
        }
        MockApns.Seen started = only(apns.accepted(startToken));
        List<MockApns.Seen> updates = apns.accepted(activityToken);
        assertEquals(3, updates.size());
        for (MockApns.Seen seen : List.of(started, updates.get(0), updates.get(1), updates.get(2))) {
            assertEquals("liveactivity", seen.pushType());
            assertEquals(LA_TOPIC, seen.topic());
            assertTrue(seen.authorization().startsWith("bearer "));
            assertEquals(Set.of("aps"), names(seen.payload()));
        }
        assertEquals(List.of(10, 5, 10, 5), List.of(started.priority(), updates.get(0).priority(), updates.get(1).priority(),
                updates.get(2).priority()));
        assertEquals(json("""
                {"event": "start", "timestamp": 1800000000, "content-state": {"eta": 20, "driver": "Ann"}, "stale-date": 1800003600,
                 "attributes-type": "DeliveryAttributes", "attributes": {"orderId": "o-7"}, "relevance-score": 0.5,
                 "alert": {"title": "Order on its way", "body": "Ann picked it up", "sound": "chime.caf"}}"""), started.payload().get("aps"));
        assertEquals(json("""
                {"event": "update", "timestamp": 1800000300, "content-state": {"eta": 12, "driver": "Ann"}, "stale-date": 1800003900}"""),
                updates.get(0).payload().get("aps"));
        assertEquals(json("""
                {"event": "update", "timestamp": 1800000600, "content-state": {"eta": 2, "driver": "Ann"},
                 "alert": {"title": "Almost there", "body": "2 minutes"}}"""), updates.get(1).payload().get("aps"));
        assertEquals(json("""
                {"event": "end", "timestamp": 1800000900, "content-state": {"eta": 0, "driver": "Ann"}, "dismissal-date": 1800001200}"""),
                updates.get(2).payload().get("aps"));
    }

    @Test
    void voipPushGoesToTheVoipTokenAndTopic() {
        String alertToken = token(APP);
        String device = device(APP, alertToken);
        String voipToken = token(VOIP_TOPIC);
        setToken(device, PushTokenSlot.VOIP, voipToken);

        Receipt receipt = send(device, "{\"pushType\": \"voip\"}", "{\"caller\": \"Bob\"}", "application/json");

        assertEquals(Receipt.Outcome.PUSHED, receipt.outcome(), String.valueOf(receipt.reason()));
        MockApns.Seen seen = only(apns.accepted(voipToken));
        assertEquals("voip", seen.pushType());
        assertEquals(VOIP_TOPIC, seen.topic());
        assertEquals(10, seen.priority());
        assertEquals("Bob", seen.payload().path("tether").path("data").path("caller").asText());
        assertTrue(apns.accepted(alertToken).isEmpty(), "not on the standard token");
    }

    @Test
    void criticalAlertCarriesTheSoundDictionary() {
        String token = token(APP);
        String device = device(APP, token);

        Receipt receipt = send(device, """
                {"alert": {"title": "Smoke", "body": "Kitchen"}, "interruptionLevel": "critical",
                 "sound": {"name": "alarm.caf", "critical": true, "volume": 0.9}}""");

        assertEquals(Receipt.Outcome.PUSHED, receipt.outcome());
        JsonNode aps = only(apns.accepted(token)).payload().get("aps");
        assertEquals(json("{\"name\": \"alarm.caf\", \"critical\": 1, \"volume\": 0.9}"), aps.get("sound"));
        assertEquals("critical", aps.path("interruption-level").asText());
    }

    @Test
    void unregisteredVoipTokenIsPrunedAndOnlyIt() {
        // GIVEN a device with a standard, a VoIP and a Live Activity token; APNs says the VoIP one died
        String alertToken = token(APP);
        String device = device(APP, alertToken);
        String voipToken = token(VOIP_TOPIC);
        setToken(device, PushTokenSlot.VOIP, voipToken);
        setToken(device, PushTokenSlot.liveActivity("act-9"), token(LA_TOPIC));
        apns.unregister(voipToken, Instant.now());

        Receipt receipt = send(device, "{\"pushType\": \"voip\"}");

        // THEN 410 Unregistered removes the VoIP token alone
        assertEquals("Unregistered", receipt.reason());
        assertNull(redis.hget(RedisKeys.device(device).pushTokens(), PushTokenSlot.VOIP.field()));
        assertNotNull(redis.hget(RedisKeys.device(device).pushTokens(), PushTokenSlot.liveActivity("act-9").field()));
        assertEquals(alertToken, redis.hget(RedisKeys.device(device).record(), DeviceFields.PUSH_TOKEN));
    }

    @Test
    void missingTokensAndForbiddenPushTypesFailWithAReason() {
        String device = device(APP, token(APP));
        String alertsOnly = device(ALERTS_ONLY, token(ALERTS_ONLY));
        setToken(alertsOnly, PushTokenSlot.VOIP, token(VOIP_TOPIC));

        assertEquals("no-voip-token", send(device, "{\"pushType\": \"voip\"}").reason());
        assertEquals("no-activity-token: act-unknown", send(device,
                "{\"liveActivity\": {\"event\": \"end\"}, \"activity\": \"act-unknown\"}").reason());
        assertEquals("no-push-to-start-token: Other", send(device, "{\"liveActivity\": {\"event\": \"start\", \"contentState\": {},"
                + " \"attributesType\": \"Other\", \"attributes\": {}}, \"alert\": {\"title\": \"t\", \"body\": \"b\"}}").reason());
        assertEquals("push-type-not-allowed: voip for app alerts", send(alertsOnly, "{\"pushType\": \"voip\"}").reason());
    }

    @Test
    void rateLimitedAppSendsEverythingInTheEnd() {
        // One per second, burst 1: four alerts to four devices must wait for each other, and none is dropped.
        List<String> tokens = List.of(token(LIMITED), token(LIMITED), token(LIMITED), token(LIMITED));
        List<PushRequest> requests = tokens.stream().map(t -> request(device(LIMITED, t), "{\"alert\": \"hi\"}", null, null)).toList();
        requests.forEach(ApnsPushKindsIT::produce);

        for (PushRequest request : requests) {
            assertEquals(Receipt.Outcome.PUSHED, receipts.receipt(request.messageId()).outcome());
        }
        tokens.forEach(t -> only(apns.accepted(t)));
    }

    @Test
    void theAppsArePublishedForTheRegistryAndFanout() {
        Map<String, String> catalog = redis.hgetall(RedisKeys.pushApps());
        PushApp alerts = PushApp.lookup(catalog, ALERTS_ONLY).orElseThrow();
        assertEquals(List.of("alert", "background"), alerts.pushTypes());
        assertEquals(List.of("production"), alerts.environments());
        assertEquals("token", alerts.auth());
        assertTrue(PushApp.lookup(catalog, APP).orElseThrow().topics().containsAll(List.of(APP, VOIP_TOPIC, LA_TOPIC)));
    }

    // --- helpers

    private static Receipt send(String device, String push) {
        return send(device, push, null, null);
    }

    private static Receipt send(String device, String push, String payload, String contentType) {
        PushRequest request = request(device, push, payload, contentType);
        produce(request);
        return receipts.receipt(request.messageId());
    }

    private static PushRequest request(String device, String push, String payload, String contentType) {
        long now = System.currentTimeMillis();
        return new PushRequest(device, "msg_" + hex(8), now, now + 3_600_000, null, push,
                payload == null ? null : payload.getBytes(StandardCharsets.UTF_8), contentType, "offline", null);
    }

    private static void produce(PushRequest request) {
        producer.send(new ProducerRecord<>(topics.push(), request.deviceId(), Json.toBytes(request)));
        producer.flush();
    }

    /** A device in the registry's hash, with a standard token or none. */
    private static String device(String appId, String alertToken) {
        String id = "dev-" + hex(8);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(DeviceFields.ID, id);
        fields.put(DeviceFields.PLATFORM, "ios");
        fields.put(DeviceFields.APP_ID, appId);
        if (alertToken != null) {
            fields.put(DeviceFields.PUSH_TOKEN, alertToken);
            fields.put(DeviceFields.PUSH_ENVIRONMENT, "production");
            fields.put(DeviceFields.PUSH_TOKEN_UPDATED_AT, "0");
        }
        redis.hset(RedisKeys.device(id).record(), fields);
        return id;
    }

    /** A token of another kind, as the registry and gateway store it. */
    private static void setToken(String device, PushTokenSlot slot, String token) {
        redis.hset(RedisKeys.device(device).pushTokens(), slot.field(),
                new StoredPushToken(token, "production", System.currentTimeMillis() - 60_000, null).toJson());
    }

    /** A token APNs (the mock) knows for the topic. */
    private static String token(String topic) {
        String token = hex(32);
        apns.register(topic, token);
        return token;
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }


}
