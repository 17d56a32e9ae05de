package io.tether.pushoptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import com.fasterxml.jackson.databind.JsonNode;
import io.tether.contract.Json;
import io.tether.contract.PushRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One test per mapping from a push request's fields to APNs headers and payload. */
class NotificationFactoryTest {
    private static final String TOKEN = "ab".repeat(32);
    private static final String BUNDLE = "com.example.chat";
    private static final long EXPIRES_AT = 1_900_000_000_123L;

    private final NotificationFactory factory = new NotificationFactory();

    // --- headers

    @Test
    void tokenAndBundleIdAreTheDeviceAndTopic() {
        SimpleApnsPushNotification push = build(request(null));
        assertEquals(TOKEN, push.getToken());
        assertEquals(BUNDLE, push.getTopic());
    }

    @Test
    void expiresAtIsTheExpiration() {
        assertEquals(Instant.ofEpochMilli(EXPIRES_AT), build(request(null)).getExpiration());
    }

    @Test
    void collapseKeyIsTheCollapseId() {
        assertEquals("chat-42", build(withCollapseKey("chat-42")).getCollapseId());
        assertNull(build(withCollapseKey(null)).getCollapseId());
    }

    @Test
    void collapseKeyOver64BytesIsHashedToFit() {
        String id = build(withCollapseKey("k".repeat(65))).getCollapseId();
        assertEquals(64, id.length());
        assertEquals(id, build(withCollapseKey("k".repeat(65))).getCollapseId(), "the same key still collapses");
        assertNotEquals(id, build(withCollapseKey("k".repeat(66))).getCollapseId());
    }

    @Test
    void printableAsciiCollapseKeysOfUpTo64BytesAreSentAsTheyAre() {
        assertEquals("k".repeat(64), build(withCollapseKey("k".repeat(64))).getCollapseId());
        assertEquals("chat 42/~!", build(withCollapseKey("chat 42/~!")).getCollapseId());
    }

    @Test
    void nonAsciiCollapseKeysAreHashedSoTheyDoNotCollideOnTheWire() {
        // Netty writes header values as ISO-8859-1: both keys would go out as "?-1".
        String chat = build(withCollapseKey("聊-1")).getCollapseId();
        String sky = build(withCollapseKey("天-1")).getCollapseId();
        assertTrue(chat.matches("[0-9a-f]{64}"), chat);
        assertTrue(sky.matches("[0-9a-f]{64}"), sky);
        assertNotEquals(chat, sky);
        assertEquals(chat, build(withCollapseKey("聊-1")).getCollapseId(), "the same key still collapses");
        assertTrue(build(withCollapseKey("café")).getCollapseId().matches("[0-9a-f]{64}"), "Latin-1 is not ASCII either");
        assertTrue(build(withCollapseKey("a\tb")).getCollapseId().matches("[0-9a-f]{64}"), "nor a control character");
    }

    @Test
    void apnsIdIsDerivedFromMessageAndDevice() {
        SimpleApnsPushNotification first = build(request(null));
        assertEquals(first.getApnsId(), build(request(null)).getApnsId(), "a redelivered request reuses it");
        assertEquals(NotificationFactory.apnsId("msg_1", "dev1"), first.getApnsId());
        assertNotEquals(NotificationFactory.apnsId("msg_1", "dev2"), first.getApnsId(), "one id per device");
    }

    @Test
    void visibleOptionsMakeAnAlertPushAtPriority10() {
        for (String options : new String[] {"{\"alert\":\"hi\"}", "{\"sound\":\"default\"}", "{\"badge\":1}"}) {
            SimpleApnsPushNotification push = build(request(options));
            assertEquals(PushType.ALERT, push.getPushType(), options);
            assertEquals(DeliveryPriority.IMMEDIATE, push.getPriority(), options);
        }
    }

    @Test
    void noOptionsMakeABackgroundPushAtPriority5() {
        SimpleApnsPushNotification push = build(request(null));
        assertEquals(PushType.BACKGROUND, push.getPushType());
        assertEquals(DeliveryPriority.CONSERVE_POWER, push.getPriority());
        assertEquals(1, aps(push).path("content-available").asInt(), "a background push must carry content-available");
        assertFalse(aps(push).has("alert"));
    }

    @Test
    void optionsWithoutAlertSoundOrBadgeAreABackgroundPush() {
        SimpleApnsPushNotification push = build(request("{\"data\":{\"k\":1}}"));
        assertEquals(PushType.BACKGROUND, push.getPushType());
        assertEquals(1, aps(push).path("content-available").asInt());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"pushType\":\"alert\",\"alert\":\"hi\"}      | ALERT      | com.example.chat      | IMMEDIATE",
            "{\"pushType\":\"background\"}                  | BACKGROUND | com.example.chat      | CONSERVE_POWER",
            "{\"pushType\":\"voip\",\"alert\":\"hi\"}       | VOIP       | com.example.chat.voip | IMMEDIATE"})
    void pushTypeSetsHeaderTopicAndPriority(String options, PushType type, String topic, DeliveryPriority priority) {
        SimpleApnsPushNotification push = build(request(options));
        assertEquals(type, push.getPushType());
        assertEquals(topic, push.getTopic());
        assertEquals(priority, push.getPriority());
    }

    @Test
    void unknownPushTypeIsRefused() {
        BadPushOptionsException e = assertThrows(BadPushOptionsException.class, () -> build(request("{\"pushType\":\"telepathy\"}")));
        assertEquals("push.pushType must be one of alert, background, voip, liveactivity", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "LIVE_ACTIVITY, com.example.chat.push-type.liveactivity",
            "COMPLICATION, com.example.chat.complication",
            "FILEPROVIDER, com.example.chat.pushkit.fileprovider",
            "LOCATION, com.example.chat.location-query",
            "PUSH_TO_TALK, com.example.chat.voip-ptt",
            "MDM, com.example.chat"})
    void topicHasApplesSuffixForThePushType(PushType type, String topic) {
        assertEquals(topic, NotificationFactory.topic(BUNDLE, type));
    }

    // --- payload: aps

    @Test
    void alertStringIsSentAsAString() {
        assertEquals("Lunch?", aps(build(request("{\"alert\":\"Lunch?\"}"))).path("alert").asText());
    }

    @Test
    void alertObjectFieldsMapToApsAlert() {
        JsonNode alert = aps(build(request("""
                {"alert": {"title": "T", "subtitle": "S", "body": "B", "titleLocKey": "TK", "titleLocArgs": ["t1"],
                           "subtitleLocKey": "SK", "subtitleLocArgs": ["s1", "s2"], "locKey": "BK", "locArgs": ["b1"],
                           "launchImage": "launch.png"}}
                """))).path("alert");
        assertEquals("T", alert.path("title").asText());
        assertEquals("S", alert.path("subtitle").asText());
        assertEquals("B", alert.path("body").asText());
        assertEquals("TK", alert.path("title-loc-key").asText());
        assertEquals("t1", alert.path("title-loc-args").path(0).asText());
        assertEquals("SK", alert.path("subtitle-loc-key").asText());
        assertEquals("s2", alert.path("subtitle-loc-args").path(1).asText());
        assertEquals("BK", alert.path("loc-key").asText());
        assertEquals("b1", alert.path("loc-args").path(0).asText());
        assertEquals("launch.png", alert.path("launch-image").asText());
    }

    @Test
    void soundBadgeCategoryAndThreadIdMapToAps() {
        JsonNode aps = aps(build(request("{\"sound\":\"bell.caf\",\"badge\":7,\"category\":\"REPLY\",\"threadId\":\"t-1\"}")));
        assertEquals("bell.caf", aps.path("sound").asText());
        assertEquals(7, aps.path("badge").asInt());
        assertEquals("REPLY", aps.path("category").asText());
        assertEquals("t-1", aps.path("thread-id").asText());
    }

    @Test
    void contentAvailableAndMutableContentMapToAps() {
        JsonNode aps = aps(build(request("{\"alert\":\"hi\",\"contentAvailable\":true,\"mutableContent\":true}")));
        assertEquals(1, aps.path("content-available").asInt());
        assertEquals(1, aps.path("mutable-content").asInt());
        JsonNode plain = aps(build(request("{\"alert\":\"hi\"}")));
        assertFalse(plain.has("content-available"));
        assertFalse(plain.has("mutable-content"));
    }

    @Test
    void interruptionLevelRelevanceScoreAndTargetContentIdMapToAps() {
        JsonNode aps = aps(build(request(
                "{\"alert\":\"hi\",\"interruptionLevel\":\"time-sensitive\",\"relevanceScore\":0.75,\"targetContentId\":\"room-7\"}")));
        assertEquals("time-sensitive", aps.path("interruption-level").asText());
        assertEquals(0.75, aps.path("relevance-score").asDouble());
        assertEquals("room-7", aps.path("target-content-id").asText());
    }

    @Test
    void unknownInterruptionLevelIsRefused() {
        assertThrows(BadPushOptionsException.class, () -> build(request("{\"alert\":\"hi\",\"interruptionLevel\":\"loud\"}")));
    }

    // --- payload: custom keys

    @Test
    void dataBecomesTopLevelCustomKeys() {
        JsonNode payload = payload(build(request("{\"alert\":\"hi\",\"data\":{\"room\":\"r1\",\"n\":[1,2]}}")));
        assertEquals("r1", payload.path("room").asText());
        assertEquals(2, payload.path("n").path(1).asInt());
    }

    @Test
    void dataMayNotUseReservedKeys() {
        assertThrows(BadPushOptionsException.class, () -> build(request("{\"data\":{\"aps\":{}}}")));
        assertThrows(BadPushOptionsException.class, () -> build(request("{\"data\":{\"tether\":1}}")));
    }

    @Test
    void messageIdAndTextDataGoUnderTether() {
        JsonNode tether = payload(build(request(null, "héllo".getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8"))).path("tether");
        assertEquals("msg_1", tether.path("messageId").asText());
        assertEquals("héllo", tether.path("data").asText());
    }

    @Test
    void jsonDataTravelsAsJson() {
        JsonNode tether = payload(build(request(null, "{\"a\":[1,true]}".getBytes(StandardCharsets.UTF_8), "application/json"))).path("tether");
        assertTrue(tether.path("data").path("a").path(1).asBoolean());
    }

    @Test
    void binaryInvalidTextAndInvalidJsonTravelInBase64() {
        byte[] binary = {0, (byte) 0xff, 1};
        for (String type : new String[] {"application/octet-stream", "text/plain", "application/json", null}) {
            JsonNode tether = payload(build(request(null, binary, type))).path("tether");
            assertEquals(Base64.getEncoder().encodeToString(binary), tether.path("dataBase64").asText(), String.valueOf(type));
            assertFalse(tether.has("data"));
        }
    }

    @Test
    void noDataMeansJustTheMessageId() {
        JsonNode tether = payload(build(request(null))).path("tether");
        assertEquals("msg_1", tether.path("messageId").asText());
        assertFalse(tether.has("data") || tether.has("dataBase64") || tether.has("fetch"));
    }

    @Test
    void dataThatDoesNotFitBecomesAFetchHint() {
        NotificationFactory.Notification notification = notification(
                request("{\"alert\":\"New message\"}", "x".repeat(4100).getBytes(StandardCharsets.UTF_8), "text/plain"));
        assertTrue(notification.fetchHint());
        JsonNode payload = payload(notification.push());
        assertTrue(notification.push().getPayload().getBytes(StandardCharsets.UTF_8).length <= NotificationFactory.MAX_PAYLOAD_BYTES);
        assertTrue(payload.path("tether").path("fetch").asBoolean());
        assertFalse(payload.path("tether").has("data"), "never truncated");
        assertEquals("New message", payload.path("aps").path("alert").asText(), "the alert stays");
    }

    @Test
    void dataThatFitsIsNotAFetchHint() {
        assertFalse(notification(request(null, "x".repeat(3000).getBytes(StandardCharsets.UTF_8), "text/plain")).fetchHint());
    }

    @Test
    void notificationTooLargeEvenWithoutDataIsRefused() {
        assertThrows(BadPushOptionsException.class, () -> build(request("{\"alert\":\"" + "y".repeat(4100) + "\"}")));
    }

    // --- helpers

    private SimpleApnsPushNotification build(PushRequest request) {
        return notification(request).push();
    }

    private NotificationFactory.Notification notification(PushRequest request) {
        return factory.build(request, PushOptions.parse(request.push()), TOKEN, BUNDLE);
    }

    private static PushRequest request(String push) {
        return request(push, null, null);
    }

    private static PushRequest request(String push, byte[] payload, String contentType) {
        return new PushRequest("dev1", "msg_1", 1_800_000_000_000L, EXPIRES_AT, null, push, payload, contentType, "offline", null);
    }

    private static PushRequest withCollapseKey(String collapseKey) {
        return new PushRequest("dev1", "msg_1", 1_800_000_000_000L, EXPIRES_AT, collapseKey, null, null, null, "offline", null);
    }

    private static JsonNode payload(SimpleApnsPushNotification push) {
        try {
            return Json.MAPPER.readTree(push.getPayload());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode aps(SimpleApnsPushNotification push) {
        return payload(push).path("aps");
    }
}
