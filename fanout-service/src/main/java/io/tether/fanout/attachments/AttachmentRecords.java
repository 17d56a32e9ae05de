package io.tether.fanout.attachments;

import io.lettuce.core.ExpireArgs;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.RedisKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What Redis knows of uploaded bodies: each one's record (expiring with the body) and when the body is to be deleted
 * from object storage. Messages that refer to a body push its deletion back to their own expiry, never forward.
 */
public final class AttachmentRecords {
    private final RedisAsyncCommands<String, String> redis;

    /** An uploaded body. Times are epoch millis. */
    public record Record(String id, long size, String sha256, String contentType, String name, long createdAt) {
    }

    public AttachmentRecords(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** Remembers an uploaded body until {@code deleteAt} (epoch millis). */
    public CompletionStage<Void> save(Record record, long deleteAt) {
        Map<String, String> fields = new HashMap<>();
        fields.put("size", Long.toString(record.size()));
        fields.put("sha256", record.sha256());
        fields.put("contentType", record.contentType());
        fields.put("createdAt", Long.toString(record.createdAt()));
        if (record.name() != null) {
            fields.put("name", record.name());
        }
        String key = RedisKeys.attachment(record.id());
        return redis.zadd(RedisKeys.attachmentExpiry(), ZAddArgs.Builder.gt(), (double) deleteAt, record.id())
                .thenCompose(n -> redis.hset(key, fields))
                .thenCompose(n -> redis.pexpireat(key, deleteAt))
                .thenApply(ok -> null);
    }

    /** The body's record while it is kept. */
    public CompletionStage<Optional<Record>> read(String id) {
        return redis.hgetall(RedisKeys.attachment(id)).thenApply(fields -> fields.isEmpty() ? Optional.empty()
                : Optional.of(new Record(id, Long.parseLong(fields.get("size")), fields.get("sha256"), fields.get("contentType"),
                        fields.get("name"), Long.parseLong(fields.get("createdAt")))));
    }

    /** Keeps the body at least until {@code deleteAt}: a later time wins, an earlier one changes nothing. */
    public CompletionStage<Void> keepUntil(String id, long deleteAt) {
        return redis.zadd(RedisKeys.attachmentExpiry(), ZAddArgs.Builder.gt(), (double) deleteAt, id)
                .thenCompose(n -> redis.pexpireat(RedisKeys.attachment(id), deleteAt, ExpireArgs.Builder.gt()))
                .thenApply(ok -> null);
    }

    /** Up to {@code limit} ids whose bodies were due for deletion at {@code before} (epoch millis) or earlier. */
    public CompletionStage<List<String>> dueBefore(long before, int limit) {
        return redis.zrangebyscore(RedisKeys.attachmentExpiry(), Range.create(0d, (double) before), Limit.create(0, limit));
    }

    /** The body is deleted: forget it. */
    public CompletionStage<Void> forget(String id) {
        return redis.zrem(RedisKeys.attachmentExpiry(), id).thenCompose(n -> redis.del(RedisKeys.attachment(id))).thenApply(n -> null);
    }
}
