package io.tether.webhook.delivery;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.Json;
import io.tether.runtime.redis.LuaScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What each webhook has to deliver, in Redis, so it survives any restart and every instance shares it. Per webhook
 * and device a queue (a list, oldest first): only its head is ever in flight, so one device's events arrive in order.
 * A sorted set per webhook holds each device with a non-empty queue at the time its head is due; claiming moves that
 * time a lease ahead, so one instance at a time sends it. All keys of a webhook share its hash tag.
 *
 * <p>Dead letters are a sorted set per webhook, scored by a sequence number of their own (also the member's prefix,
 * so identical letters stay two): newest first by score, and a page cursor is the number of the last letter shown, which
 * stays valid while letters come, are replayed or are trimmed. The set has a key of its own: the key of the list of
 * earlier versions ({@link #legacyDeadLetters}) stays a list, which instances of an earlier version still running
 * during a rolling deploy keep writing to (and reading, and replaying from) without ever meeting another type. Every
 * script that touches the dead letters first moves whatever that list holds into the set, oldest first, and deletes it.
 *
 * <p>Deleting a webhook ({@link #forget}) first leaves a tombstone under its tag, then removes its keys. Every script
 * that writes (enqueue, settle, replay) does nothing under a tombstone, so an instance that still holds the webhook (an
 * attempt in flight, an intake that has not re-read the webhooks yet) cannot recreate what the delete removed.
 */
public final class DeliveryQueues {
    /** Seconds a device's queue bookkeeping is kept after its last change (it holds the dedupe offset). */
    private static final long META_TTL_SECONDS = 7 * 24 * 3600;

    /**
     * Seconds a deleted webhook's tombstone is kept: far beyond the longest an instance may still act on it (an attempt
     * in flight ends within the request timeout and its lease; every instance re-reads the webhooks each poll interval).
     */
    static final long TOMBSTONE_TTL_SECONDS = 7 * 24 * 3600;

    /** Devices whose keys one call of {@link #forget} removes at a time, so no single command holds Redis up for long. */
    private static final int FORGET_BATCH = 500;

    /**
     * Lua functions for the dead letters (KEYS legacy list, dead, its sequence): {@code upgrade} moves what the list of
     * earlier versions holds (newest first; earlier versions still running may have added to it since the last move)
     * into the set, as the newest letters, oldest first, and deletes the list; {@code bury} adds a letter as the newest
     * and drops the oldest beyond {@code kept}.
     */
    private static final String DEAD_LETTERS = """
            local function upgrade(legacy, dead, seq)
              if redis.call('TYPE', legacy).ok ~= 'list' then
                return
              end
              local all = redis.call('LRANGE', legacy, 0, -1)
              redis.call('DEL', legacy)
              for i = #all, 1, -1 do
                local n = redis.call('INCR', seq)
                redis.call('ZADD', dead, n, n .. ':' .. all[i])
              end
            end
            local function bury(legacy, dead, seq, letter, kept)
              upgrade(legacy, dead, seq)
              local n = redis.call('INCR', seq)
              redis.call('ZADD', dead, n, n .. ':' .. letter)
              redis.call('ZREMRANGEBYRANK', dead, 0, -(tonumber(kept) + 1))
            end
            """;

    /**
     * KEYS queue, meta, due, dead, tombstone, dead letter sequence, legacy dead letter list. ARGV device, entry, partition, offset, now, meta ttl, most queued, dead
     * letter (the entry refused), dead letters kept. An event of a Kafka offset the queue already took (the intake read
     * it again after a restart) is skipped: 0; else appended: 1; or, when the queue already holds {@code most queued}, a
     * dead letter at once: 2; for a deleted webhook, nothing: 3.
     */
    private static final LuaScript ENQUEUE = new LuaScript(DEAD_LETTERS + """
            if redis.call('EXISTS', KEYS[5]) == 1 then
              return 3
            end
            local last = redis.call('HMGET', KEYS[2], 'p', 'o')
            if last[1] == ARGV[3] and tonumber(last[2]) >= tonumber(ARGV[4]) then
              return 0
            end
            redis.call('HSET', KEYS[2], 'p', ARGV[3], 'o', ARGV[4])
            redis.call('EXPIRE', KEYS[2], ARGV[6])
            if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[7]) then
              bury(KEYS[7], KEYS[4], KEYS[6], ARGV[8], ARGV[9])
              return 2
            end
            redis.call('RPUSH', KEYS[1], ARGV[2])
            redis.call('ZADD', KEYS[3], 'NX', ARGV[5], ARGV[1])
            return 1
            """);

    /**
     * KEYS due. ARGV now, lease until, at most. How many devices are due, then the ones claimed (at most {@code at
     * most}, now leased); at most 0 only counts.
     */
    private static final LuaScript CLAIM = new LuaScript("""
            local due = redis.call('ZCOUNT', KEYS[1], '-inf', ARGV[1])
            local limit = tonumber(ARGV[3])
            if due == 0 or limit <= 0 then
              return {due}
            end
            local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, limit)
            for _, id in ipairs(ids) do
              redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id)
            end
            table.insert(ids, 1, due)
            return ids
            """);

    /**
     * KEYS queue, meta, due, log, dead, tombstone, dead letter sequence, legacy dead letter list. ARGV device, entry, now, next attempt (0: delivered, -1: dead), log
     * entry, log size, dead letter, dead letters kept, meta ttl. Moves the queue on unless the head changed meanwhile
     * (another instance took over a lapsed lease): then only the attempt is logged. 1 when it moved the queue, 0 when it
     * only logged, -1 when the webhook was deleted (nothing written).
     *
     * <p>The meta hash counts the head's failed attempts ('f') and keeps when the queue started failing ('ff'). A dead
     * letter resets the count but not the time: the next head of a queue that has failed for give-up-after is dead after
     * one failed attempt, instead of each queued event waiting out a give-up-after of its own. A delivery, or the queue
     * running empty, resets both.
     */
    private static final LuaScript SETTLE = new LuaScript(DEAD_LETTERS + """
            if redis.call('EXISTS', KEYS[6]) == 1 then
              return -1
            end
            redis.call('LPUSH', KEYS[4], ARGV[5])
            redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[6]) - 1)
            if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[2] then
              return 0
            end
            local next_at = tonumber(ARGV[4])
            if next_at > 0 then
              redis.call('HINCRBY', KEYS[2], 'f', 1)
              redis.call('HSETNX', KEYS[2], 'ff', ARGV[3])
              redis.call('EXPIRE', KEYS[2], ARGV[9])
              redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
              return 1
            end
            redis.call('LPOP', KEYS[1])
            if next_at < 0 then
              bury(KEYS[8], KEYS[5], KEYS[7], ARGV[7], ARGV[8])
            end
            if redis.call('LLEN', KEYS[1]) == 0 then
              redis.call('HDEL', KEYS[2], 'f', 'ff')
              redis.call('ZREM', KEYS[3], ARGV[1])
              return 1
            end
            if next_at < 0 then
              redis.call('HDEL', KEYS[2], 'f')
            else
              redis.call('HDEL', KEYS[2], 'f', 'ff')
            end
            redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
            return 1
            """);

    /**
     * KEYS queue, meta, due. ARGV device. The head, its failed attempts and since when the queue fails ('' for none);
     * or, for an empty queue, nothing, and the device is no longer due. One script, so an event queued meanwhile
     * (ENQUEUE's ZADD NX) cannot lose its device's place in the due set.
     */
    private static final LuaScript HEAD = new LuaScript("""
            local raw = redis.call('LINDEX', KEYS[1], 0)
            if not raw then
              redis.call('ZREM', KEYS[3], ARGV[1])
              return {}
            end
            local meta = redis.call('HMGET', KEYS[2], 'f', 'ff')
            return {raw, meta[1] or '', meta[2] or ''}
            """);

    /**
     * KEYS dead, queue, due, tombstone, dead letter sequence, legacy dead letter list. ARGV the dead letter as stored, its entry, device, now. 1
     * when it went back to the queue.
     */
    private static final LuaScript REPLAY = new LuaScript(DEAD_LETTERS + """
            if redis.call('EXISTS', KEYS[4]) == 1 then
              return 0
            end
            upgrade(KEYS[6], KEYS[1], KEYS[5])
            if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
              return 0
            end
            redis.call('RPUSH', KEYS[2], ARGV[2])
            redis.call('ZADD', KEYS[3], 'NX', ARGV[4], ARGV[3])
            return 1
            """);

    /**
     * KEYS dead, dead letter sequence, legacy dead letter list. ARGV highest number (exclusive, {@code (n}; or {@code +inf}), how many (-1: all).
     * The dead letters as stored, newest first.
     */
    private static final LuaScript DEAD_PAGE = new LuaScript(DEAD_LETTERS + """
            upgrade(KEYS[3], KEYS[1], KEYS[2])
            return redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], '-inf', 'LIMIT', 0, tonumber(ARGV[2]))
            """);

    /** The head of a device's queue, with how often it failed so far and since when. */
    public record Head(String rawEntry, QueueEntry entry, int failures, long firstFailureAt) {
    }

    /** What became of an attempt recorded on a head. */
    public enum Settled {
        /** The queue moved on, or the head is due again: the attempt counts. */
        MOVED,
        /** Only logged: the head changed meanwhile (another instance took over a lapsed claim and settles it). */
        SUPERSEDED,
        /** Nothing written: the webhook was deleted. */
        GONE
    }

    /** What became of an event offered to a device's queue. */
    public enum Enqueued {
        /** At the end of the queue. */
        QUEUED,
        /** Skipped: the queue already took its Kafka offset. */
        ALREADY_TAKEN,
        /** A dead letter at once: the queue was full. */
        OVERFLOWED,
        /** Dropped: the webhook was deleted (this instance had not re-read the webhooks yet). */
        WEBHOOK_GONE
    }

    private final RedisAsyncCommands<String, String> redis;
    private final int logSize;
    private final int deadLetterSize;
    private final int maxQueuedPerDevice;

    public DeliveryQueues(RedisAsyncCommands<String, String> redis, int logSize, int deadLetterSize, int maxQueuedPerDevice) {
        this.redis = redis;
        this.logSize = logSize;
        this.deadLetterSize = deadLetterSize;
        this.maxQueuedPerDevice = maxQueuedPerDevice;
    }

    public CompletionStage<Enqueued> enqueue(String webhookId, QueueEntry entry, int partition, long offset, long now) {
        String device = entry.deviceId();
        String overflow = Json.toString(new DeadLetter(entry, now, 0, "queue full: " + maxQueuedPerDevice + " events of this device waiting"));
        return ENQUEUE.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {queue(webhookId, device), meta(webhookId, device),
                        due(webhookId), deadLetters(webhookId), tombstone(webhookId), deadSequence(webhookId), legacyDeadLetters(webhookId)}, device, entry.toJson(), Integer.toString(partition),
                Long.toString(offset), Long.toString(now), Long.toString(META_TTL_SECONDS), Integer.toString(maxQueuedPerDevice),
                overflow, Integer.toString(deadLetterSize))
                .thenApply(n -> switch (n.intValue()) {
                    case 0 -> Enqueued.ALREADY_TAKEN;
                    case 2 -> Enqueued.OVERFLOWED;
                    case 3 -> Enqueued.WEBHOOK_GONE;
                    default -> Enqueued.QUEUED;
                });
    }

    /** What a claim found: how many devices were due, and those of them it leased to the caller. */
    public record Claimed(long due, List<String> devices) {
    }

    /** Leases up to {@code limit} of the devices due at {@code now} until {@code leaseUntil}; a limit of 0 only counts. */
    public CompletionStage<Claimed> claim(String webhookId, long now, long leaseUntil, int limit) {
        return CLAIM.<List<Object>>run(redis, ScriptOutputType.MULTI, new String[] {due(webhookId)}, Long.toString(now),
                Long.toString(leaseUntil), Integer.toString(Math.max(0, limit))).thenApply(reply -> new Claimed((Long) reply.get(0),
                reply.subList(1, reply.size()).stream().map(String.class::cast).toList()));
    }

    /** The head of the device's queue; empty (and the device no longer due) when the queue is empty. */
    public CompletionStage<Optional<Head>> head(String webhookId, String deviceId) {
        return HEAD.<List<String>>run(redis, ScriptOutputType.MULTI, new String[] {queue(webhookId, deviceId), meta(webhookId, deviceId),
                due(webhookId)}, deviceId).thenApply(reply -> reply.isEmpty() ? Optional.empty()
                : Optional.of(new Head(reply.get(0), QueueEntry.fromJson(reply.get(0)), (int) number(reply.get(1)), number(reply.get(2)))));
    }

    /**
     * Records an attempt on the head {@code head.rawEntry()}: delivered ({@code nextAttemptAt} 0), failed and due
     * again at {@code nextAttemptAt}, or failed for good (-1: a dead letter).
     */
    public CompletionStage<Settled> settle(String webhookId, Head head, long now, long nextAttemptAt, Attempt attempt, String error) {
        String device = head.entry().deviceId();
        String dead = Json.toString(new DeadLetter(head.entry(), now, head.failures() + 1, error));
        return SETTLE.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {queue(webhookId, device), meta(webhookId, device),
                        due(webhookId), log(webhookId), deadLetters(webhookId), tombstone(webhookId), deadSequence(webhookId), legacyDeadLetters(webhookId)}, device,
                head.rawEntry(), Long.toString(now),
                Long.toString(nextAttemptAt), Json.toString(attempt), Integer.toString(logSize), dead,
                Integer.toString(deadLetterSize), Long.toString(META_TTL_SECONDS)).thenApply(n -> n == 1L ? Settled.MOVED : n == 0L ? Settled.SUPERSEDED : Settled.GONE);
    }

    private static long number(String field) {
        return field.isEmpty() ? 0 : Long.parseLong(field);
    }

    /** The newest attempts first. */
    public CompletionStage<List<Attempt>> log(String webhookId, int limit) {
        return redis.lrange(log(webhookId), 0, limit - 1L).thenApply(all -> all.stream().map(j -> Json.fromString(j, Attempt.class)).toList());
    }

    /** Dead letters, newest first, and the number to pass as {@code before} for the next ones: none after the last. */
    public record DeadLetterPage(List<DeadLetter> items, OptionalLong next) {
    }

    /**
     * Up to {@code limit} dead letters, newest first, from the newest (no {@code before}) or from the first older than
     * the page that answered {@code before} as its next.
     */
    public CompletionStage<DeadLetterPage> deadLetters(String webhookId, OptionalLong before, int limit) {
        String max = before.isPresent() ? "(" + before.getAsLong() : "+inf";
        return deadLetterPage(webhookId, max, limit + 1).thenApply(stored -> {
            List<DeadLetter> items = stored.stream().limit(limit).map(raw -> Json.fromString(letter(raw), DeadLetter.class)).toList();
            OptionalLong next = stored.size() > limit ? OptionalLong.of(sequence(stored.get(limit - 1))) : OptionalLong.empty();
            return new DeadLetterPage(items, next);
        });
    }

    private CompletionStage<List<String>> deadLetterPage(String webhookId, String max, int count) {
        return DEAD_PAGE.run(redis, ScriptOutputType.MULTI, new String[] {deadLetters(webhookId), deadSequence(webhookId), legacyDeadLetters(webhookId)}, max,
                Integer.toString(count));
    }

    /** The letter of a dead letter as stored ({@code <number>:<letter>}). */
    private static String letter(String stored) {
        return stored.substring(stored.indexOf(':') + 1);
    }

    /** The number of a dead letter as stored. */
    private static long sequence(String stored) {
        return Long.parseLong(stored.substring(0, stored.indexOf(':')));
    }

    /**
     * Puts dead letters back at the end of their device's queue (after what is queued now), all of them or those of
     * {@code eventIds}, wherever they are among the dead letters kept; answers how many.
     */
    public CompletionStage<Integer> replay(String webhookId, Set<String> eventIds, long now) {
        return deadLetterPage(webhookId, "+inf", -1).thenCompose(all -> {
            List<CompletableFuture<Long>> moved = new ArrayList<>();
            // Oldest first, so replayed events keep their order per device.
            for (int i = all.size() - 1; i >= 0; i--) {
                String raw = all.get(i);
                DeadLetter dead = Json.fromString(letter(raw), DeadLetter.class);
                if (eventIds.isEmpty() || eventIds.contains(dead.entry().eventId())) {
                    String device = dead.entry().deviceId();
                    moved.add(REPLAY.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {deadLetters(webhookId),
                            queue(webhookId, device), due(webhookId), tombstone(webhookId), deadSequence(webhookId), legacyDeadLetters(webhookId)}, raw,
                            dead.entry().toJson(), device, Long.toString(now)).toCompletableFuture());
                }
            }
            return CompletableFuture.allOf(moved.toArray(CompletableFuture[]::new))
                    .thenApply(v -> (int) moved.stream().mapToLong(CompletableFuture::join).sum());
        });
    }

    /**
     * Drops everything a deleted webhook had queued, logged and dead-lettered, behind a tombstone that keeps any late
     * write out. Idempotent: after a failure, calling it again finishes the job. Its devices' bookkeeping of devices with
     * nothing queued (the dedupe offset) is not listed anywhere and expires on its own, within a week.
     */
    public CompletionStage<Void> forget(String webhookId) {
        return redis.setex(tombstone(webhookId), TOMBSTONE_TTL_SECONDS, "1").thenCompose(ok -> forgetDevices(webhookId))
                .thenCompose(v -> redis.del(due(webhookId), log(webhookId), deadLetters(webhookId), deadSequence(webhookId),
                        legacyDeadLetters(webhookId)))
                .thenApply(n -> null);
    }

    /**
     * Removes the queues and bookkeeping of the devices due (every device with a non-empty queue is), a batch at a time.
     * Nothing adds to the due set under the tombstone, so the batches end.
     */
    private CompletionStage<Void> forgetDevices(String webhookId) {
        return redis.zrange(due(webhookId), 0, FORGET_BATCH - 1).thenCompose(devices -> {
            if (devices.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            List<String> keys = new ArrayList<>();
            devices.forEach(device -> {
                keys.add(queue(webhookId, device));
                keys.add(meta(webhookId, device));
            });
            return redis.del(keys.toArray(String[]::new))
                    .thenCompose(n -> redis.zrem(due(webhookId), devices.toArray(String[]::new)))
                    .thenCompose(n -> forgetDevices(webhookId));
        });
    }

    private static String base(String webhookId) {
        return "tether:{wh:" + webhookId + "}:";
    }

    static String queue(String webhookId, String deviceId) {
        return base(webhookId) + "q:" + deviceId;
    }

    static String meta(String webhookId, String deviceId) {
        return base(webhookId) + "m:" + deviceId;
    }

    static String due(String webhookId) {
        return base(webhookId) + "due";
    }

    static String log(String webhookId) {
        return base(webhookId) + "log";
    }

    /** The dead letters: a sorted set (see the class). */
    static String deadLetters(String webhookId) {
        return base(webhookId) + "deadletters";
    }

    /**
     * The dead letters as earlier versions kept them, a list, newest first. It keeps that type and name: instances of
     * an earlier version still running during a rolling deploy LPUSH, LRANGE and LREM it, and a key of another type
     * would fail their scripts (a settle that already popped its queue, an enqueue that already recorded its offset:
     * events lost). Its letters move into the set the next time a script here touches the dead letters.
     */
    static String legacyDeadLetters(String webhookId) {
        return base(webhookId) + "dead";
    }

    static String deadSequence(String webhookId) {
        return base(webhookId) + "deadseq";
    }

    static String tombstone(String webhookId) {
        return base(webhookId) + "deleted";
    }
}
