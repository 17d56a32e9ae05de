package io.tether.gateway.fetch;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.Json;
import io.tether.contract.RedisKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@link DeviceInbox} over fanout's Redis layout (inbox sorted set, entry hash, inbox meta and per-message status
 * hashes, all under the device's hash tag), one Lua script per call so an acknowledgement is atomic with respect to
 * fanout's own scripts. Fetches are rare next to MQTT traffic, so the scripts are sent with EVAL each time.
 */
public final class RedisDeviceInbox implements DeviceInbox {
    private static final String PENDING = load("fetch-pending.lua");
    private static final String ACK = load("fetch-ack.lua");

    private final RedisAsyncCommands<String, String> redis;
    private final long statusTtlSeconds;

    /** @param statusRetention how long a final status is kept; the same as fanout's {@code tether.fanout.status-retention} */
    public RedisDeviceInbox(RedisAsyncCommands<String, String> redis, Duration statusRetention) {
        this.redis = redis;
        this.statusTtlSeconds = statusRetention.toSeconds();
    }

    @Override
    public CompletionStage<List<PendingMessage>> pending(String deviceId, int limit) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        CompletionStage<List<String>> entries = redis.eval(PENDING, ScriptOutputType.MULTI, new String[] {keys.inbox(), keys.inboxData()},
                Long.toString(System.currentTimeMillis()), Integer.toString(limit));
        return entries.thenApply(list -> list.stream().map(json -> Json.fromString(json, PendingMessage.class)).toList());
    }

    @Override
    public CompletionStage<Map<String, Boolean>> acknowledge(String deviceId, List<String> messageIds) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        List<String> args = new ArrayList<>(List.of(Long.toString(System.currentTimeMillis()), keys.status(""), Long.toString(statusTtlSeconds)));
        args.addAll(messageIds);
        CompletionStage<List<String>> results = redis.eval(ACK, ScriptOutputType.MULTI,
                new String[] {keys.inbox(), keys.inboxData(), keys.inboxMeta()}, args.toArray(String[]::new));
        return results.thenApply(list -> {
            Map<String, Boolean> out = new LinkedHashMap<>();
            for (int i = 0; i < messageIds.size(); i++) {
                out.put(messageIds.get(i), "delivered".equals(list.get(i)));
            }
            return out;
        });
    }

    private static String load(String name) {
        try (InputStream in = RedisDeviceInbox.class.getResourceAsStream("/lua/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing script lua/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
