package io.tether.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Redis key builders, Kafka keys and headers, ids and enums that every service relies on. */
class ContractKeysAndRecordsTest {
    private static final Pattern HASH_TAG = Pattern.compile("\\{([^}]*)}");

    /** The part of a key Redis Cluster hashes: the first {...} with something inside, else the whole key. */
    private static String slotPart(String key) {
        Matcher m = HASH_TAG.matcher(key);
        return m.find() && !m.group(1).isEmpty() ? m.group(1) : key;
    }

    // ---- RedisKeys ------------------------------------------------------------------------------------------

    @Test
    void deviceKeysAreDistinctAndAllInTheDevicesSlot() {
        RedisKeys.Device keys = RedisKeys.device("dev-1");
        List<String> all = List.of(keys.record(), keys.epoch(), keys.presence(), keys.inbox(), keys.inboxData(), keys.inboxMeta(),
                keys.grants(), keys.session(), keys.status("msg_1"), keys.status("msg_2"), keys.status(""));

        assertEquals(all.size(), new HashSet<>(all).size(), all.toString());
        for (String key : all) {
            assertTrue(key.startsWith("tether:"), key);
            assertEquals("d:dev-1", slotPart(key), key);
        }
        assertEquals("tether:{d:dev-1}:status:msg_1", keys.status("msg_1"));
        assertTrue(keys.status("msg_1").startsWith(keys.status("")), "status(\"\") is the prefix the Lua scripts append ids to");
    }

    @Test
    void keysOfDifferentDevicesNeverCollide() {
        assertNotEquals(RedisKeys.device("a").presence(), RedisKeys.device("A").presence());
        assertNotEquals(slotPart(RedisKeys.device("ab").record()), slotPart(RedisKeys.device("a").record()));
    }

    @Test
    void gatewayKeysShareTheGatewaysSlotAndDifferFromEachOther() {
        String alive = RedisKeys.gatewayHeartbeat("gw-1");
        String devices = RedisKeys.gatewayDevices("gw-1");

        assertEquals("tether:{gw:gw-1}:alive", alive);
        assertEquals("tether:{gw:gw-1}:devices", devices);
        assertEquals(slotPart(alive), slotPart(devices));
        assertNotEquals(RedisKeys.gatewayHeartbeat("gw-2"), alive);
        assertEquals("tether:gateways", RedisKeys.gateways());
    }

    @Test
    void messageKeysShareTheMessagesSlot() {
        assertEquals("tether:{m:msg_1}:message", RedisKeys.message("msg_1"));
        assertEquals(slotPart(RedisKeys.message("msg_1")), slotPart(RedisKeys.messageDevices("msg_1")));
        assertNotEquals(RedisKeys.message("msg_1"), RedisKeys.messageDevices("msg_1"));
        assertEquals("tether:{u:alice}:devices", RedisKeys.userDevices("alice"));
        assertEquals(slotPart(RedisKeys.userDevices("alice")), slotPart(RedisKeys.userGrants("alice")));
        assertNotEquals(RedisKeys.userDevices("alice"), RedisKeys.userGrants("alice"));
        assertEquals("tether:apikey:abc", RedisKeys.apiKey("abc"));
    }

    @Test
    void expiryShardsAreDistinctKeysOfTheirOwnSlots() {
        Set<String> keys = new HashSet<>();
        Set<String> slots = new HashSet<>();
        for (int shard = 0; shard < 16; shard++) {
            keys.add(RedisKeys.expiryShard(shard));
            slots.add(slotPart(RedisKeys.expiryShard(shard)));
        }
        assertEquals(16, keys.size());
        assertEquals(16, slots.size());
        assertEquals("tether:{expiry:3}", RedisKeys.expiryShard(3));
    }

    @Test
    void aDeviceAlwaysMapsToTheSameExpiryShardWithinRangeEvenForNegativeHashCodes() {
        String negative = Arrays.stream(new String[] {"a", "polygenelubricants", "dev-xyz", "Aa", "zzzzzzzzzz"})
                .filter(id -> id.hashCode() < 0).findFirst().orElseThrow();
        assertTrue(negative.hashCode() < 0);

        for (String id : new String[] {negative, "dev-1", "a", DeviceId.random(), DeviceId.random()}) {
            int shard = RedisKeys.expiryShardOf(id, 16);
            assertTrue(shard >= 0 && shard < 16, id + " -> " + shard);
            assertEquals(shard, RedisKeys.expiryShardOf(id, 16));
        }
        assertEquals(0, RedisKeys.expiryShardOf("anything", 1));
    }

    @Test
    void devicesSpreadOverTheExpiryShards() {
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            used.add(RedisKeys.expiryShardOf("dev-" + i, 16));
        }
        assertEquals(16, used.size());
    }

    // ---- Target ---------------------------------------------------------------------------------------------

    @Test
    void aSingleDevicesRecordIsKeyedByTheDeviceIdSoItStaysInOrderWithItsPresenceAndReceipts() {
        assertEquals("dev-1", Target.device("dev-1").partitionKey());
    }

    @Test
    void usersAndTopicsAreKeyedByAPrefixedNameThatNoDeviceIdCanEqual() {
        assertEquals("user:alice", new Target(null, null, "alice", null).partitionKey());
        assertEquals("topic:news", new Target(null, null, null, "news").partitionKey());
        assertFalse(DeviceId.isValid("user:alice"));
        assertFalse(DeviceId.isValid("topic:news"));
    }

    @Test
    void aDeviceListIsKeyedByItsFirstDeviceAndAnEmptyTargetByNothing() {
        assertEquals("a", new Target(null, List.of("a", "b"), null, null).partitionKey());
        assertEquals("", new Target(null, List.of(), null, null).partitionKey());
        assertEquals("", new Target(null, null, null, null).partitionKey());
    }

    @Test
    void targetsSurviveJsonWithoutTheNamesTheyDoNotUse() {
        assertEquals("{\"device\":\"dev-1\"}", Json.toString(Target.device("dev-1")));
        for (Target target : new Target[] {Target.device("dev-1"), new Target(null, List.of("a", "b"), null, null),
                new Target(null, null, "alice", null), new Target(null, null, null, "news")}) {
            assertEquals(target, Json.fromString(Json.toString(target), Target.class));
        }
    }

    // ---- Kafka headers, topics ------------------------------------------------------------------------------

    @Test
    void headersAreUtf8StringsAndPutReplacesInsteadOfAdding() {
        RecordHeaders headers = new RecordHeaders();
        KafkaHeaders.put(headers, Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        KafkaHeaders.put(headers, Headers.MQTT_TOPIC, "devices/dev-1/grüße");
        KafkaHeaders.put(headers, Headers.MQTT_TOPIC, "devices/dev-1/messages");

        assertEquals(Optional.of("devices/dev-1/messages"), KafkaHeaders.get(headers, Headers.MQTT_TOPIC));
        assertEquals(2, headers.toArray().length, "one content-type and one topic header");
        assertEquals("text/plain; charset=utf-8",
                new String(headers.lastHeader(Headers.CONTENT_TYPE).value(), StandardCharsets.UTF_8));
        KafkaHeaders.put(headers, Headers.TRACEPARENT, "ü");
        assertEquals(Optional.of("ü"), KafkaHeaders.get(headers, Headers.TRACEPARENT));
    }

    @Test
    void aNullValueIsNotWrittenAndAMissingHeaderIsEmptyOrAnError() {
        RecordHeaders headers = new RecordHeaders();
        KafkaHeaders.put(headers, Headers.PUSH, null);

        assertEquals(0, headers.toArray().length);
        assertEquals(Optional.empty(), KafkaHeaders.get(headers, Headers.PUSH));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> KafkaHeaders.require(headers, Headers.MESSAGE_ID));
        assertEquals("missing header tether-message-id", error.getMessage());
    }

    @Test
    void aHeaderWithANullValueCountsAsMissing() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.MESSAGE_ID, null);

        assertEquals(Optional.empty(), KafkaHeaders.get(headers, Headers.MESSAGE_ID));
    }

    @Test
    void deliverTopicsRejectIdsThatAreNoGatewayIds() {
        assertEquals(Optional.empty(), DeliverTopic.parse("tether.deliver."));
        assertEquals(Optional.empty(), DeliverTopic.parse("tether.deliver.gw.1"));
        assertEquals(Optional.empty(), DeliverTopic.parse(null));
        assertThrows(NullPointerException.class, () -> new DeliverTopic(null));
        String random = GatewayId.random();
        assertEquals(Optional.of(new DeliverTopic(random)), DeliverTopic.parse("tether.deliver." + random));
    }

    // ---- ids and enums --------------------------------------------------------------------------------------

    @Test
    void generatedGatewayAndMessageIdsAreValidAndDistinct() {
        Set<String> gateways = new HashSet<>();
        Set<String> messages = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String gw = GatewayId.random();
            assertTrue(gw.matches("gw-[0-9a-f]{8}"), gw);
            assertTrue(GatewayId.isValid(gw));
            gateways.add(gw);
            String msg = MessageId.random();
            assertTrue(msg.matches("msg_[0-9a-f]{32}"), msg);
            assertTrue(MessageId.isValid(msg));
            messages.add(msg);
        }
        assertEquals(200, gateways.size());
        assertEquals(200, messages.size());
    }

    @Test
    void idsThatCouldBreakAKeyOrTopicAreInvalid() {
        for (String bad : new String[] {null, "", "a b", "a/b", "a.b", "a{b", "a}b", "a:b"}) {
            assertFalse(GatewayId.isValid(bad), String.valueOf(bad));
            assertFalse(MessageId.isValid(bad), String.valueOf(bad));
        }
        assertFalse(GatewayId.isValid("g".repeat(101)));
        assertTrue(GatewayId.isValid("g".repeat(100)));
        assertFalse(MessageId.isValid("m".repeat(81)));
        assertTrue(MessageId.isValid("m".repeat(80)));
        assertFalse(DeviceId.isValid("d".repeat(65)));
        assertTrue(DeviceId.isValid("d".repeat(64)));
    }

    @Test
    void onlyDeliveredExpiredAndFailedAreFinal() {
        assertEquals(Set.of(DeliveryStatus.DELIVERED, DeliveryStatus.EXPIRED, DeliveryStatus.FAILED),
                Arrays.stream(DeliveryStatus.values()).filter(DeliveryStatus::isFinal).collect(java.util.stream.Collectors.toSet()));
        assertEquals(List.of("queued", "pushed", "delivered", "expired", "failed"),
                Arrays.stream(DeliveryStatus.values()).map(DeliveryStatus::wire).toList());
    }

    @Test
    void platformsParseTheirWireNameInAnyCase() {
        for (Platform platform : Platform.values()) {
            assertEquals(Optional.of(platform), Platform.parse(platform.wire()));
            assertEquals(Optional.of(platform), Platform.parse(platform.name()));
        }
        assertEquals(List.of("ios", "ipados", "macos", "tvos", "watchos"), Arrays.stream(Platform.values()).map(Platform::wire).toList());
        assertEquals(Optional.of(Platform.MACOS), Platform.parse("macOS"));
        assertEquals(Optional.empty(), Platform.parse("android"));
        assertEquals(Optional.empty(), Platform.parse(""));
        assertEquals(Optional.empty(), Platform.parse(null));
    }

    // ---- records --------------------------------------------------------------------------------------------

    @Test
    void receiptsAndPushRequestsSurviveJson() {
        Receipt receipt = new Receipt("dev-1", "msg_1", 4, Receipt.Outcome.DELIVERED, null, 99L);
        assertEquals(receipt, Json.fromBytes(Json.toBytes(receipt), Receipt.class));
        Receipt pushed = new Receipt("dev-1", "msg_1", 0, Receipt.Outcome.PUSHED, null, 99L, "apns-1");
        assertEquals(pushed, Json.fromBytes(Json.toBytes(pushed), Receipt.class));

        PushRequest request = new PushRequest("dev-1", "msg_1", 1L, 2L, "chat-1", "{\"alert\":\"hi\"}", new byte[] {1, 2}, "text/plain",
                "offline", null);
        PushRequest back = Json.fromBytes(Json.toBytes(request), PushRequest.class);
        assertEquals(request.push(), back.push());
        assertEquals(request.reason(), back.reason());
        assertEquals(request.expiresAt(), back.expiresAt());
        assertTrue(Arrays.equals(request.payload(), back.payload()));
        assertNull(back.recipient());

        PushRecipient recipient = new PushRecipient("ab12", "sandbox", "com.example.app", "ios", 5L, 6L);
        PushRequest carried = new PushRequest("dev-1", "msg_2", 1L, 2L, null, null, null, null, "deaf", null, recipient);
        assertEquals(recipient, Json.fromBytes(Json.toBytes(carried), PushRequest.class).recipient());
        // A request from a fanout that carries no recipient (or an older push-service reading a newer one: unknown
        // properties are ignored) reads as before.
        String withoutRecipient = "{\"deviceId\":\"dev-1\",\"messageId\":\"msg_3\",\"acceptedAt\":1,\"expiresAt\":2,\"reason\":\"offline\"}";
        assertNull(Json.fromString(withoutRecipient, PushRequest.class).recipient());
    }

    @Test
    void recordsForInvalidDevicesCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new Receipt("a/b", "msg_1", 1, Receipt.Outcome.DELIVERED, null, 1));
        assertThrows(IllegalArgumentException.class, () -> new PushRequest("a#", "msg_1", 1, 2, null, null, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new PresenceEvent("", "gw-1", 1, PresenceEvent.Kind.CONNECTED, null, 1));
        assertThrows(NullPointerException.class, () -> new PresenceEvent("dev-1", null, 1, PresenceEvent.Kind.CONNECTED, null, 1));
        assertThrows(NullPointerException.class, () -> new Receipt("dev-1", null, 1, Receipt.Outcome.DELIVERED, null, 1));
    }
}
