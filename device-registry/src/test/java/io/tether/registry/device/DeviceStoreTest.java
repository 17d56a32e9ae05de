package io.tether.registry.device;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tether.contract.DeviceId;
import io.tether.contract.Platform;
import io.tether.contract.RedisKeys;
import io.tether.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store against a real redis-server of its own (stopped and restarted here), without Quarkus. */
class DeviceStoreTest {
    @TempDir
    static Path dir;

    private static RedisServer server;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisCommands<String, String> redis;
    private static DeviceStore store;

    @BeforeAll
    static void start() {
        server = RedisServer.start(dir, false);
        client = RedisClient.create(server.uri());
        // as in RedisProducer
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                .build());
        connection = client.connect();
        redis = client.connect().sync();
        store = new DeviceStore(connection.async());
    }

    @AfterAll
    static void stop() {
        client.shutdown();
        server.close();
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
        Device impostor = new Device(first.id(), Platform.MACOS, "evil", "user-c", null, null, "1".repeat(64),
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
    void deviceWithoutUserIsCreatedAndDeletedWithoutIndex() {
        Device device = device(null);
        assertTrue(join(store.create(device)));
        assertTrue(join(store.delete(device.id())));
        assertEquals(0L, redis.exists(RedisKeys.device(device.id()).record()));
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
        server.stop();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !connection.isOpen());
            CompletionException e = assertThrows(CompletionException.class, () -> join(store.find("dev-x")));
            assertInstanceOf(StoreUnavailableException.class, e.getCause());
        } finally {
            server.restart();
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            join(store.ping());
            return true;
        });
        assertEquals(Optional.empty(), join(store.find(DeviceId.random())));
    }

    private static Device device(String userId) {
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        return new Device(DeviceId.random(), Platform.IOS, "com.example.app", userId, "ab".repeat(32),
                PushEnvironment.PRODUCTION, DeviceSecrets.hash("pw"), now, now);
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }
}
