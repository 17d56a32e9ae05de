package io.tether.fanout.routing;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.tether.contract.DeviceFields;
import io.tether.contract.RedisKeys;
import io.tether.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A real redis-server of a test class's own, with a Lettuce connection to it (async for the code under test, sync to look). */
final class TestRedis implements AutoCloseable {
    private final RedisServer server;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private TestRedis(Path dir) {
        server = RedisServer.start(dir, false);
        client = RedisClient.create(server.uri());
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
                .build());
        connection = client.connect();
    }

    static TestRedis start(Path dir) {
        return new TestRedis(dir);
    }

    RedisAsyncCommands<String, String> async() {
        return connection.async();
    }

    RedisCommands<String, String> sync() {
        return connection.sync();
    }

    void flush() {
        sync().flushall();
    }

    /** Writes the registry's record of a device, as device-registry does; a null token means none was registered. */
    void registerDevice(String deviceId, String platform, String pushToken) {
        Map<String, String> fields = new HashMap<>();
        fields.put(DeviceFields.ID, deviceId);
        fields.put(DeviceFields.PLATFORM, platform);
        fields.put(DeviceFields.APP_ID, "com.example.app");
        fields.put(DeviceFields.SECRET_HASH, "0".repeat(64));
        if (pushToken != null) {
            fields.put(DeviceFields.PUSH_TOKEN, pushToken);
            fields.put(DeviceFields.PUSH_ENVIRONMENT, "sandbox");
        }
        sync().hset(RedisKeys.device(deviceId).record(), fields);
    }

    /** The result of a stage, failing the test when it takes longer than a few seconds. */
    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("Redis call did not complete: " + e, e);
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
        server.close();
    }
}
