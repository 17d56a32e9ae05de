package io.tether.fanout.status;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.Json;
import io.tether.contract.RedisKeys;
import io.tether.contract.Target;
import io.tether.fanout.intake.OutgoingMessage;
import io.tether.runtime.redis.LuaScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Message records and per-device delivery statuses in Redis, for {@code GET /v1/messages/<id>}. */
public final class StatusStore implements MessageRecords {
    /**
     * KEYS 1 message hash, 2 its device set. ARGV 1 acceptedAt (now), 2 expiresAt, 3 target JSON, 4 ttl s, 5
     * fingerprint of the request ('' without an idempotency key), 6 sending key id, 7 apps the key is limited to (''
     * for keys of every app; 6 and 7 are kept when ''), 8 until when (epoch ms) a request with the key is in hand,
     * 9 which request (a random token), 10.. device ids. With a fingerprint, a message that exists is not written
     * again: {'conflict'} when the request differs, {'sent', acceptedAt, expiresAt} when it reached Kafka, {'busy'}
     * while another request with the key is in hand, {'replay', acceptedAt, expiresAt} when it may not have reached
     * Kafka (this request takes it in hand); else {'new'}.
     */
    private static final LuaScript RECORD = new LuaScript("""
            if ARGV[5] ~= '' then
              local seen = redis.call('HMGET', KEYS[1], 'fingerprint', 'sent', 'acceptedAt', 'expiresAt', 'inHandUntil')
              if seen[1] then
                if seen[1] ~= ARGV[5] then
                  return {'conflict'}
                end
                if seen[2] == '1' then
                  return {'sent', seen[3], seen[4]}
                end
                if tonumber(seen[5] or '0') > tonumber(ARGV[1]) then
                  return {'busy'}
                end
                redis.call('HSET', KEYS[1], 'inHandUntil', ARGV[8], 'inHandBy', ARGV[9])
                return {'replay', seen[3], seen[4]}
              end
              redis.call('HSET', KEYS[1], 'fingerprint', ARGV[5], 'inHandUntil', ARGV[8], 'inHandBy', ARGV[9])
            end
            redis.call('HSET', KEYS[1], 'acceptedAt', ARGV[1], 'expiresAt', ARGV[2], 'target', ARGV[3])
            if ARGV[6] ~= '' then
              redis.call('HSET', KEYS[1], 'keyId', ARGV[6])
            end
            if ARGV[7] ~= '' then
              redis.call('HSET', KEYS[1], 'apps', ARGV[7])
            end
            redis.call('EXPIRE', KEYS[1], ARGV[4])
            if #ARGV > 9 then
              redis.call('SADD', KEYS[2], unpack(ARGV, 10))
              redis.call('EXPIRE', KEYS[2], ARGV[4])
            end
            return {'new'}
            """);

    /** Device ids per command: Redis' Lua cannot unpack many more than 8,000 arguments at once. */
    private static final int IDS_PER_COMMAND = 1000;

    /** What {@link #accept} found. */
    public enum Recorded { NEW, REPLAY, SENT, BUSY, CONFLICT }

    /**
     * How long a request with an idempotency key holds its message in hand: a concurrent retry with the key is told to
     * wait ({@link Recorded#BUSY}) meanwhile, rather than sending it too; after it (the first request's process died) a
     * retry sends it (REPLAY).
     */
    static final Duration IN_HAND = Duration.ofSeconds(30);
    /** KEYS 1 message hash. The message is in Kafka; nothing is written when the record is gone (refused meanwhile). */
    private static final LuaScript MARK_SENT = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return 0
            end
            redis.call('HSET', KEYS[1], 'sent', 1)
            redis.call('HDEL', KEYS[1], 'inHandUntil', 'inHandBy')
            return 1
            """);
    /** KEYS 1 message hash; ARGV 1 the request that failed. Lets go of the key only if that request holds it. */
    private static final LuaScript RELEASE = new LuaScript("""
            if redis.call('HGET', KEYS[1], 'inHandBy') ~= ARGV[1] then
              return 0
            end
            redis.call('HDEL', KEYS[1], 'inHandUntil', 'inHandBy')
            return 1
            """);

    /**
     * The outcome of {@link #accept}: for a replay, when the first request was accepted and when it expires.
     */
    public record Acceptance(Recorded recorded, long acceptedAt, long expiresAt) {
    }

    /**
     * Who sent a message, as its record keeps it.
     *
     * @param fingerprint SHA-256 of the request when it came with an idempotency key, else null
     * @param apps        the apps the sending key is limited to; empty for a key of every app
     */
    public record Sender(String keyId, Set<String> apps, String fingerprint) {
    }

    private final RedisAsyncCommands<String, String> redis;
    private final Audiences audiences;
    private final long retentionSeconds;
    private final long maxTtlSeconds;
    private final long idempotencySeconds;

    public StatusStore(RedisAsyncCommands<String, String> redis, long retentionSeconds, long maxTtlSeconds, long idempotencySeconds) {
        this.redis = redis;
        this.audiences = new Audiences(redis);
        this.retentionSeconds = retentionSeconds;
        this.maxTtlSeconds = maxTtlSeconds;
        this.idempotencySeconds = idempotencySeconds;
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

    public Audiences audiences() {
        return audiences;
    }

    /**
     * Records what was accepted and which devices it went to, for {@code GET /v1/messages/<id>}: one script on the
     * message's keys (a message record and its device set), kept until the message expires plus the retention.
     */
    @Override
    public CompletionStage<Void> record(OutgoingMessage message, List<String> deviceIds) {
        long ttl = ttlSeconds(message, System.currentTimeMillis());
        if (deviceIds.size() <= IDS_PER_COMMAND) {
            return run(message, deviceIds, null, ttl, "").thenApply(r -> null);
        }
        // A topic's or an app's devices: the record first, then the device set a thousand at a time (pipelined).
        return run(message, List.of(), null, ttl, "").thenCompose(r -> {
            String key = RedisKeys.messageDevices(message.messageId());
            List<CompletableFuture<Long>> adds = new ArrayList<>();
            for (int from = 0; from < deviceIds.size(); from += IDS_PER_COMMAND) {
                List<String> chunk = deviceIds.subList(from, Math.min(deviceIds.size(), from + IDS_PER_COMMAND));
                adds.add(redis.sadd(key, chunk.toArray(String[]::new)).toCompletableFuture());
            }
            return CompletableFuture.allOf(adds.toArray(CompletableFuture[]::new)).thenCompose(v -> redis.expire(key, ttl));
        }).thenApply(r -> null);
    }

    /**
     * Records a message being accepted, in one script with its idempotency check: a request with an idempotency key
     * whose message is already recorded changes nothing. Kept at least the idempotency window.
     */
    public CompletionStage<Acceptance> accept(OutgoingMessage message, List<String> deviceIds, Sender sender) {
        return accept(message, deviceIds, sender, "");
    }

    /** @param holder this request, for a message with an idempotency key: what {@link #release} names */
    public CompletionStage<Acceptance> accept(OutgoingMessage message, List<String> deviceIds, Sender sender, String holder) {
        long ttl = Math.max(ttlSeconds(message, System.currentTimeMillis()), sender.fingerprint() == null ? 0 : idempotencySeconds);
        // A message to one device names it in its target: no device set for it (a third of what the message keeps in
        // Redis for the whole retention, and two writes fewer); read() takes the device from the target.
        List<String> listed = message.target().device() != null ? List.of() : deviceIds;
        return run(message, listed, sender, ttl, holder).thenApply(r -> {
            Recorded recorded = Recorded.valueOf(((String) r.get(0)).toUpperCase(java.util.Locale.ROOT));
            return r.size() < 3 ? new Acceptance(recorded, message.acceptedAt(), message.expiresAt())
                    : new Acceptance(recorded, Long.parseLong((String) r.get(1)), Long.parseLong((String) r.get(2)));
        });
    }

    /** The message is in Kafka: a retry with its idempotency key is answered without sending it again. */
    public CompletionStage<Void> markSent(String messageId) {
        return MARK_SENT.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {RedisKeys.message(messageId)}).thenApply(n -> null);
    }

    /** The request {@code holder} failed: a retry with the idempotency key may send it at once (if it held the key). */
    public CompletionStage<Void> release(String messageId, String holder) {
        return RELEASE.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {RedisKeys.message(messageId)}, holder)
                .thenApply(n -> null);
    }

    /**
     * Whether the message of {@code messageId} has no record yet and {@code earlierId} has one of the same sending key
     * and the same request: a request an earlier version accepted under the id it derived then (see
     * {@code IdempotencyKeys.legacyMessageId}), retried here. Two reads, not one script: the two records lie in
     * different Redis Cluster slots ({@code {m:<id>}}). A record of {@code messageId} written between them changes
     * nothing: the earlier one is this very request either way.
     */
    public CompletionStage<Boolean> acceptedEarlierAs(String messageId, String earlierId, Sender sender) {
        return redis.exists(RedisKeys.message(messageId)).thenCompose(now -> now > 0
                ? CompletableFuture.completedFuture(false)
                : redis.hmget(RedisKeys.message(earlierId), "keyId", "fingerprint").thenApply(seen ->
                        sender.keyId().equals(seen.get(0).getValueOrElse(null))
                                && sender.fingerprint().equals(seen.get(1).getValueOrElse(null))));
    }

    /** Takes back a record whose message was refused after all (a quota): a retry may be accepted later. */
    public CompletionStage<Void> forget(String messageId) {
        return redis.del(RedisKeys.message(messageId), RedisKeys.messageDevices(messageId)).thenApply(n -> null);
    }

    private CompletionStage<List<Object>> run(OutgoingMessage message, List<String> deviceIds, Sender sender, long ttl, String holder) {
        List<String> args = new ArrayList<>(List.of(Long.toString(message.acceptedAt()), Long.toString(message.expiresAt()),
                Json.toString(message.target()), Long.toString(ttl),
                sender == null || sender.fingerprint() == null ? "" : sender.fingerprint(),
                sender == null ? "" : sender.keyId(),
                sender == null ? "" : String.join(",", sender.apps()),
                Long.toString(message.acceptedAt() + IN_HAND.toMillis()), holder));
        args.addAll(deviceIds);
        return RECORD.run(redis, ScriptOutputType.MULTI,
                new String[] {RedisKeys.message(message.messageId()), RedisKeys.messageDevices(message.messageId())},
                args.toArray(String[]::new));
    }

    /**
     * The message's statuses for the devices {@code visible} lets through (a key's apps); empty when there is no such
     * message, or, for a key limited to apps, when none of its devices are listed and the message is another key's
     * (its own message answers with no devices until fanout has expanded it, or when it reached none of its apps).
     */
    public CompletionStage<Optional<MessageStatus>> read(String messageId, Predicate<String> visibleApp, boolean appScoped,
            String callerKeyId) {
        return redis.hgetall(RedisKeys.message(messageId)).thenCompose(message -> {
            if (message.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            return redis.smembers(RedisKeys.messageDevices(messageId))
                    .thenApply(listed -> withTargetDevice(listed, message))
                    .thenCompose(devices -> appScoped ? visible(devices, visibleApp) : CompletableFuture.completedFuture(devices))
                    .thenCompose(devices -> appScoped && devices.isEmpty() && !callerKeyId.equals(message.get("keyId"))
                            ? CompletableFuture.completedFuture(Optional.empty())
                            : readDevices(messageId, message, devices));
        });
    }

    /** The listed devices and, for a message to one device, that device (not listed since the record keeps its target). */
    static Set<String> withTargetDevice(Set<String> listed, Map<String, String> message) {
        String target = message.get("target");
        String device = target == null ? null : Json.fromString(target, Target.class).device();
        if (device == null || listed.contains(device)) {
            return listed;
        }
        Set<String> out = new java.util.HashSet<>(listed);
        out.add(device);
        return out;
    }

    private CompletionStage<Set<String>> visible(Set<String> devices, Predicate<String> visibleApp) {
        List<String> ids = List.copyOf(devices);
        List<CompletableFuture<String>> apps = ids.stream()
                .map(id -> redis.hget(RedisKeys.device(id).record(), io.tether.contract.DeviceFields.APP_ID).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(apps.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Set<String> out = new java.util.HashSet<>();
            for (int i = 0; i < ids.size(); i++) {
                if (apps.get(i).join() != null && visibleApp.test(apps.get(i).join())) {
                    out.add(ids.get(i));
                }
            }
            return out;
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

    @Override
    public CompletionStage<List<String>> devicesOfUser(String userId) {
        return audiences.ofUser(userId, Set.of());
    }

    /** Expands within the apps recorded for the message's sending key. */
    @Override
    public CompletionStage<List<String>> expand(OutgoingMessage message) {
        Target target = message.target();
        return redis.hget(RedisKeys.message(message.messageId()), "apps").thenCompose(recorded -> {
            Set<String> apps = recorded == null || recorded.isEmpty() ? Set.of()
                    : Arrays.stream(recorded.split(",")).collect(Collectors.toUnmodifiableSet());
            if (target.user() != null) {
                return audiences.ofUser(target.user(), apps);
            }
            if (target.topic() != null) {
                return audiences.ofTopic(target.topic(), apps);
            }
            if (target.app() != null) {
                return audiences.ofApp(target.app());
            }
            return CompletableFuture.completedFuture(List.of());
        });
    }
}
