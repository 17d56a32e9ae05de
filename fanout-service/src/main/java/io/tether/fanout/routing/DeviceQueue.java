package io.tether.fanout.routing;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.PresenceEvent;
import io.tether.contract.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A device's presence, inbox and delivery statuses in Redis. Every change is one Lua script over keys that
 * share the device's hash tag, so it is atomic and works on Redis Cluster.
 */
public final class DeviceQueue {
    private static final LuaScript ENQUEUE = LuaScript.load("enqueue.lua");
    private static final LuaScript PRESENCE = LuaScript.load("presence.lua");
    private static final LuaScript DISPATCH = LuaScript.load("dispatch.lua");
    private static final LuaScript SETTLE = LuaScript.load("settle.lua");
    private static final LuaScript FALLBACK = LuaScript.load("fallback.lua");
    private static final LuaScript UNPUSH = LuaScript.load("unpush.lua");
    private static final LuaScript PUSHED = LuaScript.load("pushed.lua");
    private static final int FALLBACK_BATCH = 200;

    private final RedisAsyncCommands<String, String> redis;
    private final InboxLimits limits;

    /** Bounds of one device's inbox, its live window and how often data-only messages may nudge by push. */
    public record InboxLimits(int maxMessages, long maxBytes, int window, long nudgeIntervalMillis) {
    }

    /**
     * Entries to send through APNs, and why the device was not reached live (signal, deaf, offline). The previous
     * cursor and nudge time let {@link #undoFallback} restore the inbox exactly; {@code considered} counts every
     * entry looked at, taken or not (data-only entries within the nudge interval are passed over).
     */
    public record Fallback(String reason, String previousCursor, String previousLastNudgeAt, int considered, List<InboxEntry> entries) {
        /** True when the batch limit stopped the scan, so more entries may be waiting behind it. */
        public boolean isFullBatch() {
            return considered >= FALLBACK_BATCH;
        }
    }

    /** Entries to hand to the gateway that holds the device's connection, and how many it found expired on the way. */
    public record Dispatch(String gatewayId, long epoch, List<InboxEntry> entries, int expired) {
    }

    /**
     * What {@link #enqueueCounted} did: the message's status after it; the inbox depth including it when this call
     * queued it (else -1); the reason when this call failed it (else null). A re-consumed record has neither.
     */
    public record Enqueued(String status, long depth, String failure) {
        public boolean queuedNow() {
            return depth >= 0;
        }
    }

    public DeviceQueue(RedisAsyncCommands<String, String> redis, InboxLimits limits) {
        this.redis = redis;
        this.limits = limits;
    }

    /** Queues a message for a device; answers the message's status (queued, or failed when the inbox is full or the device unknown). */
    public CompletionStage<String> enqueue(String deviceId, InboxEntry entry, long statusTtlSeconds) {
        return enqueueCounted(deviceId, entry, statusTtlSeconds).thenApply(Enqueued::status);
    }

    /** As {@link #enqueue}, also telling whether this call queued or failed the message, and the inbox depth. */
    public CompletionStage<Enqueued> enqueueCounted(String deviceId, InboxEntry entry, long statusTtlSeconds) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        return ENQUEUE.<List<Object>>run(redis, ScriptOutputType.MULTI,
                new String[] {keys.record(), keys.inbox(), keys.inboxData(), keys.inboxMeta(), keys.status(entry.messageId())},
                entry.messageId(), entry.toJson(), Integer.toString(entry.size()), now(), Integer.toString(limits.maxMessages()),
                Long.toString(limits.maxBytes()), Long.toString(statusTtlSeconds))
                .thenApply(result -> {
                    String failure = (String) result.get(2);
                    return new Enqueued((String) result.get(0), (Long) result.get(1), failure.isEmpty() ? null : failure);
                });
    }

    /** Applies a presence event; true when it changed anything (false for stale epochs and duplicates). */
    public CompletionStage<Boolean> applyPresence(PresenceEvent event) {
        return applyPresenceState(event).thenApply(Optional::isPresent);
    }

    /** As {@link #applyPresence}: the presence state after the event when it changed anything, else empty. */
    public CompletionStage<Optional<String>> applyPresenceState(PresenceEvent event) {
        RedisKeys.Device keys = RedisKeys.device(event.deviceId());
        return PRESENCE.<List<Object>>run(redis, ScriptOutputType.MULTI, new String[] {keys.presence(), keys.inboxMeta()},
                event.kind().name(), Long.toString(event.epoch()), event.gatewayId(), Long.toString(event.at()))
                .thenApply(result -> ((Long) result.get(0)) == 1L ? Optional.of((String) result.get(1)) : Optional.empty());
    }

    /** The gateway the device's presence points at, if any. */
    public CompletionStage<Optional<String>> gatewayOf(String deviceId) {
        return redis.hget(RedisKeys.device(deviceId).presence(), "gatewayId").thenApply(Optional::ofNullable);
    }

    /**
     * The next entries to send live, or empty when the device cannot take live deliveries now.
     *
     * @param gatewayAlive whether the gateway its presence points at still heartbeats
     */
    public CompletionStage<Optional<Dispatch>> nextDispatch(String deviceId, boolean gatewayAlive, long statusTtlSeconds) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        String statusPrefix = keys.status("");
        return DISPATCH.<List<Object>>run(redis, ScriptOutputType.MULTI,
                new String[] {keys.record(), keys.presence(), keys.inbox(), keys.inboxData(), keys.inboxMeta()},
                now(), Integer.toString(limits.window()), statusPrefix, Long.toString(statusTtlSeconds), gatewayAlive ? "1" : "0")
                .thenApply(result -> {
                    if (!"send".equals(result.get(0))) {
                        return Optional.empty();
                    }
                    List<InboxEntry> entries = new ArrayList<>();
                    for (int i = 4; i + 1 < result.size(); i += 2) {
                        entries.add(InboxEntry.fromJson((String) result.get(i + 1)));
                    }
                    return Optional.of(new Dispatch((String) result.get(1), Long.parseLong((String) result.get(2)), entries,
                            ((Long) result.get(3)).intValue()));
                });
    }

    /** Entries to push now that the device cannot take them live; empty when its platform and state want none. */
    public CompletionStage<Optional<Fallback>> nextFallback(String deviceId, boolean gatewayAlive, long statusTtlSeconds) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        return FALLBACK.<List<Object>>run(redis, ScriptOutputType.MULTI,
                new String[] {keys.record(), keys.presence(), keys.inbox(), keys.inboxData(), keys.inboxMeta()},
                now(), gatewayAlive ? "1" : "0", keys.status(""), Long.toString(statusTtlSeconds),
                Long.toString(limits.nudgeIntervalMillis()), Integer.toString(FALLBACK_BATCH))
                .thenApply(result -> {
                    if (result.isEmpty()) {
                        return Optional.empty();
                    }
                    List<InboxEntry> entries = new ArrayList<>();
                    for (int i = 4; i + 1 < result.size(); i += 2) {
                        entries.add(InboxEntry.fromJson((String) result.get(i + 1)));
                    }
                    return Optional.of(new Fallback((String) result.get(0), (String) result.get(1), (String) result.get(2),
                            ((Long) result.get(3)).intValue(), entries));
                });
    }

    /** Undoes {@link #nextFallback} when its push requests could not be written. */
    public CompletionStage<Void> undoFallback(String deviceId, Fallback fallback) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        List<String> args = new ArrayList<>(List.of(fallback.previousCursor(), fallback.previousLastNudgeAt(), keys.status("")));
        fallback.entries().forEach(e -> args.add(e.messageId()));
        return UNPUSH.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {keys.inboxMeta()}, args.toArray(String[]::new))
                .thenApply(n -> null);
    }

    /** APNs accepted the message's push. */
    public CompletionStage<Boolean> markPushed(String deviceId, String messageId, String apnsId, long statusTtlSeconds) {
        return PUSHED.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {RedisKeys.device(deviceId).status(messageId)},
                now(), apnsId == null ? "" : apnsId, Long.toString(statusTtlSeconds)).thenApply(n -> n == 1L);
    }

    /** The push failed; the message stays queued in the inbox, and the status says why it was not pushed. */
    public CompletionStage<Void> markPushFailed(String deviceId, String messageId, String reason) {
        return redis.hset(RedisKeys.device(deviceId).status(messageId), java.util.Map.of(
                "reason", "push-failed: " + reason, "updatedAt", now())).thenApply(n -> null);
    }

    /** Sends everything unacknowledged again on the next dispatch (after a failed hand-over). */
    public CompletionStage<Void> rewind(String deviceId) {
        return redis.hset(RedisKeys.device(deviceId).inboxMeta(), "cursor", "0").thenApply(ok -> null);
    }

    /** Gives a message its final status for a device and takes it out of the inbox; true when the status changed. */
    public CompletionStage<Boolean> settle(String deviceId, String messageId, String status, String reason, String route,
            long statusTtlSeconds) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        return SETTLE.<Long>run(redis, ScriptOutputType.INTEGER,
                new String[] {keys.inbox(), keys.inboxData(), keys.inboxMeta(), keys.status(messageId)},
                messageId, status, reason == null ? "" : reason, now(), Long.toString(statusTtlSeconds), route == null ? "" : route)
                .thenApply(changed -> changed == 1L);
    }

    private static String now() {
        return Long.toString(System.currentTimeMillis());
    }
}
