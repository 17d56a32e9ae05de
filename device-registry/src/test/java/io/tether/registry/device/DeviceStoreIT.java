package io.tether.registry.device;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tether.contract.DeviceId;
import io.tether.contract.Platform;
import io.tether.contract.PresenceEvent;
import io.tether.contract.PresenceFields;
import io.tether.contract.RedisKeys;
import io.tether.inbox.DeviceInbox;
import io.tether.inbox.Inbox;
import io.tether.inbox.InboxSettings;
import io.tether.registry.store.StoreUnavailableException;
import io.tether.testkit.RedisFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import io.tether.runtime.redis.RedisConnections;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store against a real redis-server of its own (stopped and restarted here), without Quarkus. */
class DeviceStoreIT {
    // the services' own client, with their outage policy
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture(
            uri -> RedisConnections.client(uri, Duration.ofSeconds(2), RedisConnections.resources(Duration.ofSeconds(1))));

    private static StatefulRedisConnection<String, String> connection;
    private static RedisCommands<String, String> redis;
    private static DeviceStore store;

    @BeforeAll
    static void start() {
        connection = REDIS.connect();
        redis = REDIS.connect().sync();
        store = new DeviceStore(connection.async());
    }

    @Test
    void createWritesRecordAndUserIndexTogether() {
        Device device = device("user-a");
        assertTrue(join(store.create(device)));
        assertEquals(Optional.of(device), join(store.find(device.id())));
        assertEquals(Set.of(device.id()), redis.smembers(RedisKeys.userDevices("user-a")));
    }

    @Test
    void createNeverOverwritesAnExistingDevice() {
        Device first = device("user-b");
        assertTrue(join(store.create(first)));
        Device impostor = new Device(first.id(), Platform.MACOS, "evil", "user-c", null, null, null, "1".repeat(64),
                first.createdAt(), first.createdAt());
        assertFalse(join(store.create(impostor)));
        assertEquals(Optional.of(first), join(store.find(first.id())));
        assertEquals(0L, redis.exists(RedisKeys.userDevices("user-c")));
    }

    @Test
    void deleteRemovesRecordAndUserIndexEntry() {
        Device kept = device("user-d");
        Device removed = device("user-d");
        join(store.create(kept));
        join(store.create(removed));
        assertTrue(join(store.delete(removed.id())));
        assertEquals(Optional.empty(), join(store.find(removed.id())));
        assertEquals(Set.of(kept.id()), redis.smembers(RedisKeys.userDevices("user-d")));
        assertFalse(join(store.delete(removed.id())));
    }

    @Test
    void deleteRemovesAnOfflineDevicesPresenceAndEpochAndKeepsItsInboxUntilEveryMessagesTtlHasPassed() {
        Device device = device("user-e");
        join(store.create(device));
        RedisKeys.Device keys = RedisKeys.device(device.id());
        redis.hset(keys.presence(), "state", "OFFLINE");
        redis.zadd(keys.inbox(), 1, "m1");
        redis.hset(keys.inboxData(), "m1", "{}");
        redis.hset(keys.inboxMeta(), "seq", "1");
        redis.set(keys.epoch(), "3");

        assertTrue(join(store.delete(device.id())));

        assertEquals(0L, redis.exists(keys.record(), keys.presence(), keys.epoch()), "nothing would ever remove them");
        assertEquals(3L, redis.exists(keys.inbox(), keys.inboxData(), keys.inboxMeta()),
                "the sweep settles its messages at their TTL (each gets its final status)");
        for (String key : List.of(keys.inbox(), keys.inboxData(), keys.inboxMeta())) {
            long ttl = redis.pttl(key);
            assertTrue(ttl > Duration.ofDays(28).toMillis() && ttl <= DeviceStore.INBOX_AFTER_DELETE.toMillis(),
                    key + " expires after every message's TTL, not never: " + ttl);
        }
    }

    @Test
    void deleteKeepsAConnectedDevicesPresenceAsATombstoneThatExpires() {
        for (String state : List.of("LIVE", "BACKGROUND", "SUSPECT")) {
            Device device = device("user-e");
            join(store.create(device));
            RedisKeys.Device keys = RedisKeys.device(device.id());
            redis.hset(keys.presence(), Map.of(PresenceFields.STATE, state, PresenceFields.EPOCH, "7", PresenceFields.GATEWAY_ID, "gw-a",
                    PresenceFields.APP_STATE, "background", PresenceFields.RECEIVING, "1"));
            redis.set(keys.epoch(), "7");

            assertTrue(join(store.delete(device.id())));

            assertEquals(0L, redis.exists(keys.record(), keys.epoch()));
            assertEquals(Map.of(PresenceFields.STATE, "OFFLINE", PresenceFields.EPOCH, "7", PresenceFields.GATEWAY_ID, "gw-a",
                    PresenceFields.APP_STATE, "background", PresenceFields.RECEIVING, "0", PresenceFields.DELETED_WHILE, state,
                    PresenceFields.APP_ID, device.appId()), redis.hgetall(keys.presence()),
                    state + ": its last OFFLINE is owed; nothing is handed to the closing connection meanwhile");
            long ttl = redis.pttl(keys.presence());
            assertTrue(ttl > 0 && ttl <= DeviceStore.INBOX_AFTER_DELETE.toMillis(), "a tombstone expires: " + ttl);
        }
    }

    /** The registry's delete and the inbox's presence.lua (what fanout runs for each presence event), together. */
    @Test
    void aDeviceDeletedWhileConnectedGivesBackendsOneLastOfflineWhenItsConnectionEnds() {
        Device device = device("user-e");
        join(store.create(device));
        DeviceInbox inbox = new DeviceInbox(connection.async(), new InboxSettings(100, 1_000_000, 10, 60_000, 3_600, 120));
        assertTrue(join(inbox.presence(new PresenceEvent(device.id(), "gw-a", 7, PresenceEvent.Kind.CONNECTED, null, 1_000))).applied());

        assertTrue(join(store.delete(device.id())));
        Inbox.PresenceChange last = join(inbox.presence(
                new PresenceEvent(device.id(), "gw-a", 7, PresenceEvent.Kind.DISCONNECTED, "revoked", 2_000)));

        assertTrue(last.applied(), "the connection's DISCONNECTED after the deletion is the device's last presence change");
        assertEquals("OFFLINE", last.state());
        assertEquals(device.appId(), last.deletedDeviceApp(), "the event names the app: webhooks cannot read it any more");
        assertFalse(join(inbox.presence(new PresenceEvent(device.id(), "gw-a", 7, PresenceEvent.Kind.DISCONNECTED, "gateway-lost",
                3_000))).applied(), "one last OFFLINE only");
    }

    @Test
    void aDeviceDeletedWhileOfflineOwesNoPresenceEvent() {
        Device device = device("user-e");
        join(store.create(device));
        DeviceInbox inbox = new DeviceInbox(connection.async(), new InboxSettings(100, 1_000_000, 10, 60_000, 3_600, 120));
        join(inbox.presence(new PresenceEvent(device.id(), "gw-a", 7, PresenceEvent.Kind.CONNECTED, null, 1_000)));
        join(inbox.presence(new PresenceEvent(device.id(), "gw-a", 7, PresenceEvent.Kind.DISCONNECTED, null, 2_000)));

        assertTrue(join(store.delete(device.id())));

        assertEquals(0L, redis.exists(RedisKeys.device(device.id()).presence()));
        assertFalse(join(inbox.presence(new PresenceEvent(device.id(), "gw-a", 7, PresenceEvent.Kind.DISCONNECTED, null, 2_000)))
                .applied(), "backends saw its OFFLINE already");
    }

    @Test
    void aDeviceRegisteredAgainUnderADeletedOnesIdStartsWithoutItsTombstone() {
        Device deleted = device("user-e");
        join(store.create(deleted));
        RedisKeys.Device keys = RedisKeys.device(deleted.id());
        redis.hset(keys.presence(), Map.of(PresenceFields.STATE, "LIVE", PresenceFields.EPOCH, "7", PresenceFields.GATEWAY_ID, "gw-a"));
        join(store.delete(deleted.id()));

        Device again = new Device(deleted.id(), deleted.platform(), deleted.appId(), null, null, null, null, deleted.secretHash(),
                deleted.createdAt(), deleted.updatedAt());
        assertTrue(join(store.create(again)));

        assertEquals(0L, redis.exists(keys.presence()), "its connections are not fenced by the old one's epoch, nor expire with it");
    }

    @Test
    void deviceWithoutUserIsCreatedAndDeletedWithoutIndex() {
        Device device = device(null);
        assertTrue(join(store.create(device)));
        assertTrue(join(store.delete(device.id())));
        assertEquals(0L, redis.exists(RedisKeys.device(device.id()).record()));
    }

    @Test
    void createIndexesTheDeviceByUserAppPlatformAndInTheListOfAll() {
        Device device = device("user-f", "com.example.indexed", Platform.TVOS);
        assertTrue(join(store.create(device)));
        assertTrue(redis.sismember(RedisKeys.userDevices("user-f"), device.id()));
        assertEquals(0.0, redis.zscore(RedisKeys.appDevices("com.example.indexed"), device.id()));
        assertEquals(0.0, redis.zscore(RedisKeys.platformDevices(Platform.TVOS), device.id()));
        assertEquals(0.0, redis.zscore(RedisKeys.allDevices(), device.id()));
    }

    @Test
    void updateMovesTheDeviceBetweenIndexesAndKeepsTheRest() {
        Device before = device("user-g", "com.example.before", Platform.IOS);
        join(store.create(before));
        Instant later = before.updatedAt().plusSeconds(1);

        Device after = join(store.update(before.id(), d -> new DeviceChanges("com.example.after", Platform.IPADOS, true, "user-h")
                .applyTo(d, later))).orElseThrow();

        assertEquals(Optional.of(after), join(store.find(before.id())));
        assertEquals(before.secretHash(), after.secretHash());
        assertEquals(before.pushToken(), after.pushToken());
        assertEquals(later, after.updatedAt());
        assertFalse(redis.sismember(RedisKeys.userDevices("user-g"), before.id()));
        assertTrue(redis.sismember(RedisKeys.userDevices("user-h"), before.id()));
        assertEquals(null, redis.zscore(RedisKeys.appDevices("com.example.before"), before.id()));
        assertEquals(0.0, redis.zscore(RedisKeys.appDevices("com.example.after"), before.id()));
        assertEquals(null, redis.zscore(RedisKeys.platformDevices(Platform.IOS), before.id()));
        assertEquals(0.0, redis.zscore(RedisKeys.platformDevices(Platform.IPADOS), before.id()));

        Device userless = join(store.update(before.id(), d -> new DeviceChanges(null, null, true, null).applyTo(d, later)))
                .orElseThrow();
        assertEquals(null, userless.userId());
        assertFalse(redis.sismember(RedisKeys.userDevices("user-h"), before.id()));
        assertEquals(Optional.empty(), join(store.update(DeviceId.random(), d -> d)));
    }

    @Test
    void deleteClearsEveryIndexAndTheGrants() {
        Device device = device("user-i", "com.example.deleted", Platform.WATCHOS);
        join(store.create(device));
        redis.hset(RedisKeys.device(device.id()).grants(), "chat/#", "subscribe");
        assertTrue(join(store.delete(device.id())));
        assertEquals(0L, redis.exists(RedisKeys.device(device.id()).grants()));
        assertEquals(null, redis.zscore(RedisKeys.appDevices("com.example.deleted"), device.id()));
        assertEquals(null, redis.zscore(RedisKeys.platformDevices(Platform.WATCHOS), device.id()));
        assertEquals(null, redis.zscore(RedisKeys.allDevices(), device.id()));
    }

    @Test
    void revokeRemovesTheSecretAndRotateBringsOneBack() {
        Device device = device("user-j");
        join(store.create(device));
        Instant now = device.createdAt().plusSeconds(5);
        assertTrue(join(store.revokeSecret(device.id(), now)));
        assertEquals(Optional.empty(), join(store.secretHash(device.id())));
        assertTrue(join(store.find(device.id())).orElseThrow().credentialsRevoked());
        assertTrue(join(store.replaceSecret(device.id(), "a".repeat(64), now)));
        assertEquals(Optional.of("a".repeat(64)), join(store.secretHash(device.id())));
        assertFalse(join(store.revokeSecret(DeviceId.random(), now)), "no record is created for an unknown id");
    }

    @Test
    void listingPagesThroughAnIndexInIdOrder() {
        DeviceLister lister = new DeviceLister(store);
        for (int i = 0; i < 5; i++) {
            join(store.create(device(null, "com.example.listed", i % 2 == 0 ? Platform.IOS : Platform.MACOS)));
        }
        DevicePage first = join(lister.list(new DeviceQuery(null, "com.example.listed", null, null, 2)));
        DevicePage second = join(lister.list(new DeviceQuery(null, "com.example.listed", null, first.lastId(), 2)));
        DevicePage third = join(lister.list(new DeviceQuery(null, "com.example.listed", null, second.lastId(), 2)));
        assertEquals(2, first.devices().size());
        assertEquals(2, second.devices().size());
        assertEquals(1, third.devices().size());
        assertEquals(null, third.lastId());
        assertTrue(first.devices().get(1).id().compareTo(second.devices().get(0).id()) < 0);
        DevicePage macs = join(lister.list(new DeviceQuery(null, "com.example.listed", Platform.MACOS, null, 10)));
        assertEquals(2, macs.devices().size());
        assertEquals(null, macs.lastId());
    }

    @Test
    void scriptsSurviveAScriptCacheFlush() {
        redis.scriptFlush();
        Device device = device("user-e");
        assertTrue(join(store.create(device)));
        redis.scriptFlush();
        assertTrue(join(store.delete(device.id())));
    }

    @Test
    void redisDownIsStoreUnavailableAndRecovers() {
        REDIS.server().stop();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !connection.isOpen());
            CompletionException e = assertThrows(CompletionException.class, () -> join(store.find("dev-x")));
            assertInstanceOf(StoreUnavailableException.class, e.getCause());
        } finally {
            REDIS.server().restart();
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            join(store.ping());
            return true;
        });
        assertEquals(Optional.empty(), join(store.find(DeviceId.random())));
    }

    private static Device device(String userId) {
        return device(userId, "com.example.app", Platform.IOS);
    }

    private static Device device(String userId, String appId, Platform platform) {
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        return new Device(DeviceId.random(), platform, appId, userId, "ab".repeat(32),
                PushEnvironment.PRODUCTION, now, DeviceSecrets.hash("pw"), now, now);
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }
}
