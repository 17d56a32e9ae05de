package io.tether.fanout.attachments;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.RedisKeys;
import io.tether.runtime.redis.LuaScript;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * What Redis knows of uploaded bodies: each one's record (expiring with the body) and when the body is to be deleted
 * from object storage. The first message that refers to a body sets its deletion to the message's expiry (it
 * replaces the time an unsent body is kept); later messages only push it back, never forward.
 */
public final class AttachmentRecords {
    // KEYS 1 record hash, 2 deletion index; ARGV 1 attachment id, 2 deleteAt (epoch millis). 0: the record is gone.
    private static final LuaScript KEEP_UNTIL = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return 0
            end
            local at = tonumber(ARGV[2])
            if redis.call('HSETNX', KEYS[1], 'referenced', '1') == 0 then
              local current = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[1]) or '0')
              if current >= at then
                return 1
              end
            end
            redis.call('ZADD', KEYS[2], at, ARGV[1])
            redis.call('PEXPIREAT', KEYS[1], at)
            return 1
            """);
    // KEYS 1 record hash, 2 deletion index; ARGV 1 attachment id, 2 deleteAt, 3.. field, value pairs. 0: the
    // sweeper claimed the body or is done with it (it may be deleted already), nothing written.
    private static final LuaScript SAVE = new LuaScript("""
            local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
            if not score or tonumber(score) == 0 then
              return 0
            end
            redis.call('ZADD', KEYS[2], 'GT', ARGV[2], ARGV[1])
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            redis.call('PEXPIREAT', KEYS[1], ARGV[2])
            return 1
            """);
    // KEYS 1 record hash, 2 deletion index; ARGV 1 attachment id, 2 the time it must have been due by (epoch millis).
    // 1: claimed (now, or by an earlier sweep that did not get to delete it), 0: not due any more (an upload saved its
    // record since the listing, pushing the time back) or its record is still there (a message may still refer to it).
    // A claim is the score 0 in the index: listed again by the next sweep until the body is deleted and forgotten, so
    // a sweeper that dies between claim and delete leaves nothing behind, and SAVE refuses it.
    private static final LuaScript CLAIM = new LuaScript("""
            local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
            if not score then
              return 0
            end
            score = tonumber(score)
            if score == 0 then
              return 1
            end
            if score > tonumber(ARGV[2]) or redis.call('EXISTS', KEYS[1]) == 1 then
              return 0
            end
            redis.call('ZADD', KEYS[2], 0, ARGV[1])
            return 1
            """);
    private static final String EVERY_APP = "*";
    private final RedisAsyncCommands<String, String> redis;

    /**
     * An uploaded body. Times are epoch millis. {@code uploaderApps}: the apps of the key that uploaded it (empty: a
     * key of every app; null: not recorded, a body uploaded before it was).
     */
    public record Record(String id, long size, String sha256, String contentType, String name, long createdAt,
            Set<String> uploaderApps) {

        /**
         * Whether a key of {@code apps} (empty: every app) may send it: a key of every app may, a key limited to apps
         * only a body a key within its apps uploaded. Another team's body does not exist for it.
         */
        public boolean usableBy(Set<String> apps) {
            return uploaderApps == null || apps.isEmpty() || (!uploaderApps.isEmpty() && apps.containsAll(uploaderApps));
        }
    }

    public AttachmentRecords(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /**
     * Remembers an uploaded body until {@code deleteAt} (epoch millis), if its {@link #reserve reservation} is still
     * there and the sweeper has not {@link #claim claimed} it; false when it did meanwhile (an upload that outlasted
     * the unsent time and the grace): the body is deleted or about to be.
     */
    public CompletionStage<Boolean> save(Record record, long deleteAt) {
        Map<String, String> fields = new HashMap<>();
        fields.put("size", Long.toString(record.size()));
        fields.put("sha256", record.sha256());
        fields.put("contentType", record.contentType());
        fields.put("createdAt", Long.toString(record.createdAt()));
        if (record.name() != null) {
            fields.put("name", record.name());
        }
        if (record.uploaderApps() != null) {
            fields.put("uploaderApps", record.uploaderApps().isEmpty() ? EVERY_APP : String.join(",", record.uploaderApps()));
        }
        List<String> args = new java.util.ArrayList<>(List.of(record.id(), Long.toString(deleteAt)));
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        return SAVE.<Long>run(redis, ScriptOutputType.INTEGER,
                new String[] {RedisKeys.attachment(record.id()), RedisKeys.attachmentExpiry()}, args.toArray(String[]::new))
                .thenApply(saved -> saved == 1L);
    }

    /**
     * Before its body is stored: the body is deleted at {@code deleteAt} even if its record is never saved (the record
     * write failed, or the service died between the two), so no stored body is left that nothing would delete.
     */
    public CompletionStage<Void> reserve(String id, long deleteAt) {
        return redis.zadd(RedisKeys.attachmentExpiry(), ZAddArgs.Builder.gt(), (double) deleteAt, id).thenApply(n -> null);
    }

    /** The body's record while it is kept. */
    public CompletionStage<Optional<Record>> read(String id) {
        return redis.hgetall(RedisKeys.attachment(id)).thenApply(fields -> {
            if (fields.isEmpty()) {
                return Optional.empty();
            }
            String apps = fields.get("uploaderApps");
            return Optional.of(new Record(id, Long.parseLong(fields.get("size")), fields.get("sha256"), fields.get("contentType"),
                    fields.get("name"), Long.parseLong(fields.get("createdAt")),
                    apps == null ? null : apps.equals(EVERY_APP) ? Set.of() : Set.of(apps.split(","))));
        });
    }

    /**
     * A message that expires at {@code deleteAt} refers to the body: the first one sets when it is deleted, a later
     * one keeps it longer when it expires later. False when the record is gone (the body expired meanwhile).
     */
    public CompletionStage<Boolean> keepUntil(String id, long deleteAt) {
        return KEEP_UNTIL.<Long>run(redis, ScriptOutputType.INTEGER,
                new String[] {RedisKeys.attachment(id), RedisKeys.attachmentExpiry()}, id, Long.toString(deleteAt))
                .thenApply(kept -> kept == 1L);
    }

    /**
     * Up to {@code limit} ids whose bodies were due for deletion at {@code before} (epoch millis) or earlier, claimed
     * ones first. Only candidates: an upload may save its record between this listing and the {@link #claim}.
     */
    public CompletionStage<List<String>> dueBefore(long before, int limit) {
        return redis.zrangebyscore(RedisKeys.attachmentExpiry(), Range.create(0d, (double) before), Limit.create(0, limit));
    }

    /**
     * Takes the body for deletion if it is still due at {@code before} (epoch millis) and has no record: from then on
     * no upload saves a record for it ({@link #save} answers false), so it may be deleted. False: leave it.
     */
    public CompletionStage<Boolean> claim(String id, long before) {
        return CLAIM.<Long>run(redis, ScriptOutputType.INTEGER,
                new String[] {RedisKeys.attachment(id), RedisKeys.attachmentExpiry()}, id, Long.toString(before))
                .thenApply(claimed -> claimed == 1L);
    }

    /** The {@link #claim claimed} body is deleted: forget it. */
    public CompletionStage<Void> forget(String id) {
        return redis.zrem(RedisKeys.attachmentExpiry(), id).thenCompose(n -> redis.del(RedisKeys.attachment(id))).thenApply(n -> null);
    }
}
