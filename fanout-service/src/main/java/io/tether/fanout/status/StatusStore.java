package io.tether.fanout.status;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.runtime.redis.LuaScript;
import io.tether.contract.Json;
import io.tether.contract.RedisKeys;
import io.tether.fanout.intake.OutgoingMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Message records and per-device delivery statuses in Redis, for {@code GET /v1/messages/<id>}. */
public final class StatusStore implements MessageRecords {
    private static final LuaScript RECORD = new LuaScript("""
            redis.call('HSET', KEYS[1], 'acceptedAt', ARGV[1], 'expiresAt', ARGV[2], 'target', ARGV[3])
            redis.call('EXPIRE', KEYS[1], ARGV[4])
            if #ARGV > 4 then
              redis.call('SADD', KEYS[2], unpack(ARGV, 5))
              redis.call('EXPIRE', KEYS[2], ARGV[4])
            end
            return 1
            """);

    private final RedisAsyncCommands<String, String> redis;
    private final long retentionSeconds;
    private final long maxTtlSeconds;

    public StatusStore(RedisAsyncCommands<String, String> redis, long retentionSeconds, long maxTtlSeconds) {
        this.redis = redis;
        this.retentionSeconds = retentionSeconds;
        this.maxTtlSeconds = maxTtlSeconds;
    }

    /** Kept this long after a status became final. */
    public long finalStatusTtlSeconds() {
        return retentionSeconds;
    }

    /** Kept this long after a status changed without becoming final: the message may live up to the longest TTL. */
    public long openStatusTtlSeconds() {
        return retentionSeconds + maxTtlSeconds;
    }

    /** Seconds a message's records are kept: until it expires, plus the retention. */
    @Override
    public long ttlSeconds(OutgoingMessage message, long nowMillis) {
        return Math.max(0, (message.expiresAt() - nowMillis) / 1000) + retentionSeconds;
    }

    /**
     * Records what was accepted and which devices it went to, for {@code GET /v1/messages/<id>}: one script on the
     * message's keys (a message record and its device set), kept until the message expires plus the retention.
     */
    @Override
    public CompletionStage<Void> record(OutgoingMessage message, List<String> deviceIds) {
        long ttl = ttlSeconds(message, System.currentTimeMillis());
        List<String> args = new ArrayList<>(List.of(Long.toString(message.acceptedAt()), Long.toString(message.expiresAt()),
                Json.toString(message.target()), Long.toString(ttl)));
        args.addAll(deviceIds);
        return RECORD.<Long>run(redis, ScriptOutputType.INTEGER,
                new String[] {RedisKeys.message(message.messageId()), RedisKeys.messageDevices(message.messageId())},
                args.toArray(String[]::new)).thenApply(n -> null);
    }


    public CompletionStage<Optional<MessageStatus>> read(String messageId) {
        return redis.hgetall(RedisKeys.message(messageId)).thenCompose(message -> {
            if (message.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            return redis.smembers(RedisKeys.messageDevices(messageId)).thenCompose(devices -> readDevices(messageId, message, devices));
        });
    }

    private CompletionStage<Optional<MessageStatus>> readDevices(String messageId, Map<String, String> message, Set<String> devices) {
        List<String> ids = devices.stream().sorted().toList();
        // Lettuce pipelines commands issued back to back on one connection.
        List<CompletableFuture<Map<String, String>>> reads = ids.stream()
                .map(id -> redis.hgetall(RedisKeys.device(id).status(messageId)).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<MessageStatus.DeviceStatus> out = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                out.add(MessageStatus.DeviceStatus.from(ids.get(i), reads.get(i).join()));
            }
            return Optional.of(new MessageStatus(messageId, Long.parseLong(message.get("acceptedAt")),
                    Long.parseLong(message.get("expiresAt")), out));
        });
    }

    /** The ids among {@code deviceIds} that the registry does not know. */
    public CompletionStage<List<String>> unknownDevices(List<String> deviceIds) {
        List<CompletableFuture<Long>> checks = deviceIds.stream()
                .map(id -> redis.exists(RedisKeys.device(id).record()).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<String> unknown = new ArrayList<>();
            for (int i = 0; i < deviceIds.size(); i++) {
                if (checks.get(i).join() == 0) {
                    unknown.add(deviceIds.get(i));
                }
            }
            return unknown;
        });
    }

    @Override
    public CompletionStage<List<String>> devicesOfUser(String userId) {
        return redis.smembers(RedisKeys.userDevices(userId)).thenApply(set -> set.stream().sorted().toList());
    }
}
