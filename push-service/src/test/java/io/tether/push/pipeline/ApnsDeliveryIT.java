package io.tether.push.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.pushy.apns.server.RejectionReason;
import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.contract.DeviceFields;
import io.tether.contract.Headers;
import io.tether.contract.Json;
import io.tether.contract.KafkaHeaders;
import io.tether.contract.PushRecipient;
import io.tether.contract.PushRequest;
import io.tether.contract.Receipt;
import io.tether.contract.RedisKeys;
import io.tether.push.apns.ApnsApp;
import io.tether.push.apns.ApnsClients;
import io.tether.push.apns.ApnsConnection;
import io.tether.push.apns.ApnsCredentials;
import io.tether.pushoptions.NotificationFactory;
import io.tether.push.testing.ItSupport;
import io.tether.push.testing.MockApns;
import static io.tether.push.testing.ItSupport.hex;
import static io.tether.push.testing.ItSupport.only;
import io.tether.push.testing.TestKeys;
import io.tether.push.testing.TestTls;
import io.tether.push.testing.TopicReader;
import io.tether.testkit.TetherInfra;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import io.tether.runtime.kafka.KafkaClients;
import io.tether.runtime.kafka.KeyedConsumer;
import io.tether.runtime.tracing.MessagingSpans;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core of push-service against real parts: push requests produced to a real Kafka broker, devices in a real
 * Redis, Pushy's MockApnsServer over real TLS checking token authentication (and client certificates) as APNs
 * does, receipts read back from Kafka. Topics carry a random suffix so nothing else on the broker interferes.
 */
class ApnsDeliveryIT {
    private static final String TEAM = "TEAM123456";
    private static final String KEY_ID = "KEY1234567";
    private static final String CHAT = "com.example.chat";
    private static final String NEWS = "com.example.news"; // same team key as CHAT: shares its clients
    private static final String CERT_APP = "com.example.legacy"; // certificate authentication
    private static final String ROGUE = "com.example.rogue"; // signed with a key APNs (the mock) does not know
    private static final int CONNECTIONS = 2;

    @TempDir
    static Path dir;

    private static MockApns apns;
    private static ApnsClients clients;
    private static PushService service;
    private static KafkaProducer<String, byte[]> producer;
    private static TopicReader receipts;
    private static TopicReader deadLetters;
    private static RedisClient redisClient;
    private static StatefulRedisConnection<String, String> redisConnection;
    private static RedisCommands<String, String> redis;
    private static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();
    private static PushTopics topics;

    @BeforeAll
    static void start() {
        TetherInfra infra = TetherInfra.shared();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        topics = new PushTopics("it-push-" + suffix, "it-receipts-" + suffix, "it-dlq-" + suffix);
        ItSupport.provision(infra.kafka().bootstrapServers(), topics);

        TestKeys.SigningKey key = TestKeys.signingKey(dir, TEAM, KEY_ID);
        TestTls.Identity server = TestTls.server(dir);
        TestTls.Identity clientCertificate = TestTls.client(dir, CERT_APP);
        apns = MockApns.start(server, Map.of(key.verificationKey(), Set.of(CHAT, NEWS)), clientCertificate);

        ApnsCredentials.SigningKey teamKey = new ApnsCredentials.SigningKey(key.file(), TEAM, KEY_ID);
        TestKeys.SigningKey unknownKey = TestKeys.signingKey(dir.resolve("rogue"), "ROGUETEAM1", "ROGUEKEY01");
        clients = ApnsClients.create(List.of(
                        new ApnsApp("chat", CHAT, teamKey),
                        new ApnsApp("news", NEWS, teamKey),
                        new ApnsApp("legacy", CERT_APP, new ApnsCredentials.Certificate(clientCertificate.pkcs12(), clientCertificate.password())),
                        new ApnsApp("rogue", ROGUE, new ApnsCredentials.SigningKey(unknownKey.file(), "ROGUETEAM1", "ROGUEKEY01"))),
                new ApnsConnection(Optional.of("127.0.0.1"), Optional.of(apns.port()), Optional.of(server.pem()), CONNECTIONS,
                        Duration.ofSeconds(5)));

        redisClient = RedisClient.create(infra.redis().uri());
        redisConnection = redisClient.connect();
        redis = redisClient.connect().sync();
        String bootstrap = infra.kafka().bootstrapServers();
        KafkaClients kafka = new KafkaClients(bootstrap, Map.of(), Map.of(), Map.of());
        producer = kafka.durableProducer("it-push");
        service = new PushService(kafka.groupConsumer("it-push-" + suffix, "it-push-consumer", KeyedConsumer.batchSize(100)), producer,
                redisConnection.async(), clients, topics,
                new PushService.Settings(100, Duration.ofMillis(200), Duration.ofSeconds(1)), METRICS, Clock.systemUTC(),
                MessagingSpans.off());
        service.start();
        receipts = new TopicReader(bootstrap, topics.receipts());
        deadLetters = new TopicReader(bootstrap, topics.deadLetters());
    }

    @AfterAll
    static void stop() {
        ItSupport.closeAll(service == null ? null : service::stop, producer, receipts, deadLetters,
                clients, apns, redisClient == null ? null : redisClient::shutdown);
    }

    @Test
    void alertPushIsAcceptedWithTheHeadersAppleExpects() {
        String device = device("ios", CHAT, registeredToken(CHAT), "production", 0);
        long expiresAt = Instant.now().plus(Duration.ofHours(1)).toEpochMilli();
        PushRequest request = request(device, expiresAt, "chat-42",
                "{\"alert\":{\"title\":\"Alice\",\"body\":\"Lunch?\"},\"sound\":\"default\",\"badge\":3,\"threadId\":\"alice\"}",
                "see you at noon", "text/plain");

        Receipt receipt = send(request);

        String apnsId = NotificationFactory.apnsId(request.messageId(), device).toString();
        assertEquals(Receipt.Outcome.PUSHED, receipt.outcome());
        assertEquals(apnsId, receipt.apnsId());
        MockApns.Seen seen = only(apns.accepted(token(device)));
        assertEquals(10, seen.priority());
        assertEquals("alert", seen.pushType());
        assertEquals("chat-42", seen.collapseId());
        assertEquals(expiresAt / 1000, seen.expiration());
        assertEquals(CHAT, seen.topic());
        assertEquals(apnsId, seen.apnsId());
        assertTrue(seen.authorization().startsWith("bearer "), "token authentication, verified by the mock");
        JsonNode aps = seen.payload().get("aps");
        assertEquals("Alice", aps.path("alert").path("title").asText());
        assertEquals("Lunch?", aps.path("alert").path("body").asText());
        assertEquals("default", aps.path("sound").asText());
        assertEquals(3, aps.path("badge").asInt());
        assertEquals("alice", aps.path("thread-id").asText());
        assertEquals(request.messageId(), seen.payload().path("tether").path("messageId").asText());
        assertEquals("see you at noon", seen.payload().path("tether").path("data").asText());
        // Counted once the receipt is acknowledged, which may be just after the reader saw it.
        await().atMost(Duration.ofSeconds(5)).until(() -> METRICS.find("tether.push.sent").tags("outcome", "pushed").counter() != null);
        assertTrue(METRICS.get("tether.push.apns.latency").tags("result", "accepted").timer().count() >= 1);
    }

    @Test
    void noPushOptionsMeanABackgroundPushAtPriority5() {
        String device = device("ios", NEWS, registeredToken(NEWS), "production", 0);

        Receipt receipt = send(request(device, inOneHour(), null, null, "{\"n\":1}", "application/json"));

        assertEquals(Receipt.Outcome.PUSHED, receipt.outcome());
        MockApns.Seen seen = only(apns.accepted(token(device)));
        assertEquals(5, seen.priority());
        assertEquals("background", seen.pushType());
        assertEquals(NEWS, seen.topic());
        assertNull(seen.collapseId());
        assertEquals(1, seen.payload().path("aps").path("content-available").asInt());
        assertFalse(seen.payload().path("aps").has("alert"));
        assertEquals(1, seen.payload().path("tether").path("data").path("n").asInt(), "JSON data travels as JSON");
    }

    @Test
    void unregisteredTokenIsRemovedFromTheRegistry() {
        // GIVEN a token set a day ago that APNs saw die a minute ago
        String token = registeredToken(CHAT);
        Instant registered = Instant.now().minus(Duration.ofDays(1));
        String device = device("ios", CHAT, token, "production", registered.toEpochMilli());
        apns.unregister(token, Instant.now().minus(Duration.ofMinutes(1)));

        Receipt receipt = send(request(device, inOneHour(), null, "{\"alert\":\"hi\"}", null, null));

        // THEN the push fails with Apple's reason and the registry forgets the token
        assertEquals(Receipt.Outcome.PUSH_FAILED, receipt.outcome());
        assertEquals("Unregistered", receipt.reason());
        Map<String, String> stored = redis.hgetall(RedisKeys.device(device).record());
        assertFalse(stored.containsKey(DeviceFields.PUSH_TOKEN));
        assertFalse(stored.containsKey(DeviceFields.PUSH_ENVIRONMENT));
        assertEquals(CHAT, stored.get(DeviceFields.APP_ID), "the device itself stays");
        assertTrue(METRICS.get("tether.push.token.invalidations").counter().count() >= 1);
    }

    @Test
    void tokenRegisteredAgainAfterTheInvalidationIsKept() {
        // GIVEN APNs saw the token die an hour ago, but the app registered it again since
        String token = registeredToken(CHAT);
        String device = device("ios", CHAT, token, "production", Instant.now().toEpochMilli());
        apns.unregister(token, Instant.now().minus(Duration.ofHours(1)));

        Receipt receipt = send(request(device, inOneHour(), null, "{\"alert\":\"hi\"}", null, null));

        assertEquals("Unregistered", receipt.reason());
        assertEquals(token, redis.hget(RedisKeys.device(device).record(), DeviceFields.PUSH_TOKEN));
    }

    @Test
    void aTokenFanoutCarriedIsPushedWithoutTheDeviceInTheRegistry() {
        // GIVEN a request carrying the token fanout just read, for a device id the registry's Redis does not hold
        String device = "dev-" + hex(8);
        String token = registeredToken(CHAT);
        Receipt receipt = send(carrying(device, token));

        // THEN it reaches APNs with that token: push-service did not need the registry
        assertEquals(Receipt.Outcome.PUSHED, receipt.outcome());
        assertEquals(CHAT, only(apns.accepted(token)).topic());
    }

    @Test
    void aCarriedTokenApnsCallsDeadGivesWayToTheOneRegisteredSince() {
        // GIVEN fanout carried a token APNs saw die, and the app has registered a new one since
        String dead = registeredToken(CHAT);
        apns.unregister(dead, Instant.now().minus(Duration.ofMinutes(1)));
        String fresh = registeredToken(CHAT);
        String device = device("ios", CHAT, fresh, "production", Instant.now().toEpochMilli());
        Receipt receipt = send(carrying(device, dead));

        // THEN the push goes to the new token, which stays registered
        assertEquals(Receipt.Outcome.PUSHED, receipt.outcome());
        assertEquals(CHAT, only(apns.accepted(fresh)).topic());
        assertEquals(fresh, token(device));
    }

    @Test
    void badDeviceTokenFailsAndNamesTheEnvironment() {
        String token = "not-a-token-" + hex(8);
        String device = device("ios", CHAT, token, "sandbox", 0);

        Receipt receipt = send(request(device, inOneHour(), null, "{\"alert\":\"hi\"}", null, null));

        assertEquals(Receipt.Outcome.PUSH_FAILED, receipt.outcome());
        assertEquals("BadDeviceToken (environment mismatch? token registered as sandbox)", receipt.reason());
        assertNull(redis.hget(RedisKeys.device(device).record(), DeviceFields.PUSH_TOKEN));
    }

    @Test
    void tokenOfAnotherAppFailsWithDeviceTokenNotForTopic() {
        // The registry says NEWS, but APNs knows the token as one of CHAT's.
        String device = device("ios", NEWS, registeredToken(CHAT), "production", 0);

        Receipt receipt = send(request(device, inOneHour(), null, "{\"alert\":\"hi\"}", null, null));

        assertEquals(Receipt.Outcome.PUSH_FAILED, receipt.outcome());
        assertEquals("DeviceTokenNotForTopic", receipt.reason());
        assertNull(redis.hget(RedisKeys.device(device).record(), DeviceFields.PUSH_TOKEN));
    }

    @Test
    void serverErrorIsRetriedAndPushedOnce() {
        String token = registeredToken(CHAT);
        String device = device("ios", CHAT, token, "production", 0);
        apns.failNext(token, RejectionReason.INTERNAL_SERVER_ERROR, 1);
        PushRequest request = request(device, inOneHour(), null, "{\"alert\":\"hi\"}", null, null);

        Receipt receipt = send(request);
        // A later request for the same device is handled after it: once its receipt is in, so is any duplicate.
        send(request(device, inOneHour(), null, "{\"alert\":\"again\"}", null, null));

        assertEquals(Receipt.Outcome.PUSHED, receipt.outcome());
        assertEquals(1, receipts.receipts(request.messageId()).size());
        String apnsId = NotificationFactory.apnsId(request.messageId(), device).toString();
        List<MockApns.Seen> rejected = apns.rejected(token);
        assertEquals(1, rejected.size());
        assertEquals(RejectionReason.INTERNAL_SERVER_ERROR, rejected.get(0).rejection());
        assertEquals(apnsId, rejected.get(0).apnsId(), "the retry reuses the apns-id");
        assertEquals(1, apns.accepted(token).stream().filter(seen -> apnsId.equals(seen.apnsId())).count());
    }

    @Test
    void retriesStopAtTheMessageExpiry() {
        String token = registeredToken(CHAT);
        String device = device("ios", CHAT, token, "production", 0);
        apns.failNext(token, RejectionReason.SERVICE_UNAVAILABLE, 1000);

        Receipt receipt = send(request(device, Instant.now().plusMillis(1500).toEpochMilli(), null, "{\"alert\":\"hi\"}", null, null));

        assertEquals(Receipt.Outcome.PUSH_FAILED, receipt.outcome());
        assertEquals("retries-exhausted: ServiceUnavailable", receipt.reason());
        assertTrue(apns.rejected(token).size() >= 2, "retried before giving up");
        assertTrue(apns.accepted(token).isEmpty());
    }

    @Test
    void payloadOver4KbBecomesAFetchHint() {
        String device = device("ios", CHAT, registeredToken(CHAT), "production", 0);
        String big = "x".repeat(5000);

        Receipt receipt = send(request(device, inOneHour(), null, "{\"alert\":\"New message\"}", big, "text/plain"));

        assertEquals(Receipt.Outcome.PUSHED, receipt.outcome());
        MockApns.Seen seen = only(apns.accepted(token(device)));
        assertTrue(seen.payloadBytes() <= 4096);
        assertEquals("New message", seen.payload().path("aps").path("alert").asText());
        assertTrue(seen.payload().path("tether").path("fetch").asBoolean());
        assertFalse(seen.payload().path("tether").has("data"), "never a truncated payload");
    }

    @Test
    void certificateAuthenticatedAppIsPushed() {
        String device = device("macos", CERT_APP, registeredToken(CERT_APP), "production", 0);

        Receipt receipt = send(request(device, inOneHour(), null, "{\"alert\":\"hi\"}", null, null));

        assertEquals(Receipt.Outcome.PUSHED, receipt.outcome());
        MockApns.Seen seen = only(apns.accepted(token(device)));
        assertNull(seen.authorization(), "the client certificate authenticates, not a provider token");
        assertEquals(CERT_APP, seen.topic());
    }

    @Test
    void providerTokenSignedWithAnUnknownKeyIsRejected() {
        // Shows the mock really checks token authentication: the same request, signed by a key it does not know.
        String device = device("ios", ROGUE, registeredToken(ROGUE), "production", 0);

        Receipt receipt = send(request(device, inOneHour(), null, "{\"alert\":\"hi\"}", null, null));

        assertEquals(Receipt.Outcome.PUSH_FAILED, receipt.outcome());
        assertEquals("InvalidProviderToken", receipt.reason());
        assertEquals(token(device), redis.hget(RedisKeys.device(device).record(), DeviceFields.PUSH_TOKEN), "not the token's fault");
    }

    @Test
    void providerTokensArePerConnectionNeverPerNotification() {
        String device = device("ios", CHAT, registeredToken(CHAT), "production", 0);
        for (int i = 0; i < 5; i++) {
            send(request(device, inOneHour(), null, "{\"alert\":\"n" + i + "\"}", null, null));
        }

        long tokens = apns.allAccepted().stream()
                .filter(seen -> seen.authorization() != null && (CHAT.equals(seen.topic()) || NEWS.equals(seen.topic())))
                .map(MockApns.Seen::authorization).distinct().count();
        // CHAT and NEWS share one production client (and one sandbox client, unused here).
        assertTrue(tokens <= CONNECTIONS, tokens + " provider tokens for " + CONNECTIONS + " connections");
    }

    @Test
    void requestsThatCannotBePushedFailWithAReason() {
        String token = registeredToken(CHAT);
        Map<String, PushRequest> expected = new LinkedHashMap<>();
        expected.put("expired", request(device("ios", CHAT, token, "production", 0), Instant.now().minusSeconds(1).toEpochMilli(),
                null, null, null, null));
        expected.put("unknown-device", request("no-such-device-" + hex(4), inOneHour(), null, null, null, null));
        expected.put("no-push-token", request(device("ios", CHAT, null, null, 0), inOneHour(), null, null, null, null));
        expected.put("no-push-on-platform", request(device("tvos", CHAT, token, "production", 0), inOneHour(), null, null, null, null));
        expected.put("app-not-configured", request(device("ios", "com.example.unknown", token, "production", 0), inOneHour(),
                null, null, null, null));
        expected.put("bad-push-options: push.badge must be a non-negative integer", request(device("ios", CHAT, token, "production", 0),
                inOneHour(), null, "{\"badge\":\"three\"}", null, null));

        expected.values().forEach(this::produce);

        expected.forEach((reason, request) -> {
            Receipt receipt = receipts.receipt(request.messageId());
            assertEquals(Receipt.Outcome.PUSH_FAILED, receipt.outcome(), reason);
            assertEquals(reason, receipt.reason());
        });
        assertTrue(apns.accepted(token).isEmpty() && apns.rejected(token).isEmpty(), "none of them reached APNs");
    }

    @Test
    void unreadableRequestGoesToTheDeadLetterTopic() {
        String key = "dev-" + hex(4);
        producer.send(new ProducerRecord<>(topics.push(), key, "{not json".getBytes(StandardCharsets.UTF_8)));
        producer.flush();

        ConsumerRecord<String, byte[]> dead = deadLetters.awaitRecord(record -> key.equals(record.key()));

        assertEquals("{not json", new String(dead.value(), StandardCharsets.UTF_8));
        String reason = KafkaHeaders.get(dead.headers(), Headers.DLQ_REASON).orElseThrow();
        assertTrue(reason.startsWith(topics.push() + ": malformed PushRequest"), reason);
    }

    // --- helpers

    private Receipt send(PushRequest request) {
        produce(request);
        return receipts.receipt(request.messageId());
    }

    private void produce(PushRequest request) {
        producer.send(new ProducerRecord<>(topics.push(), request.deviceId(), Json.toBytes(request)));
        producer.flush();
    }

    private static PushRequest request(String deviceId, long expiresAt, String collapseKey, String push, String payload,
            String contentType) {
        return new PushRequest(deviceId, "msg_" + hex(8), System.currentTimeMillis(), expiresAt, collapseKey, push,
                payload == null ? null : payload.getBytes(StandardCharsets.UTF_8), contentType, "offline", null);
    }

    /** An alert for {@code deviceId} carrying {@code token} (production, app {@link #CHAT}) as fanout read it just now. */
    private static PushRequest carrying(String deviceId, String token) {
        return new PushRequest(deviceId, "msg_" + hex(8), System.currentTimeMillis(), inOneHour(), null, "{\"alert\":\"hi\"}",
                null, null, "deaf", null, new PushRecipient(token, "production", CHAT, "ios", 0, System.currentTimeMillis()));
    }

    /** A device in the registry's Redis hash, as device-registry writes it. */
    private static String device(String platform, String appId, String token, String environment, long tokenUpdatedAt) {
        String id = "dev-" + hex(8);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(DeviceFields.ID, id);
        fields.put(DeviceFields.PLATFORM, platform);
        fields.put(DeviceFields.APP_ID, appId);
        if (token != null) {
            fields.put(DeviceFields.PUSH_TOKEN, token);
            fields.put(DeviceFields.PUSH_ENVIRONMENT, environment);
            fields.put(DeviceFields.PUSH_TOKEN_UPDATED_AT, Long.toString(tokenUpdatedAt));
        }
        redis.hset(RedisKeys.device(id).record(), fields);
        return id;
    }

    private static String token(String deviceId) {
        return redis.hget(RedisKeys.device(deviceId).record(), DeviceFields.PUSH_TOKEN);
    }

    private static String registeredToken(String bundleId) {
        String token = hex(32);
        apns.register(bundleId, token);
        return token;
    }

    private static long inOneHour() {
        return Instant.now().plus(Duration.ofHours(1)).toEpochMilli();
    }


}
