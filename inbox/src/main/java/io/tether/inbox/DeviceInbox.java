package io.tether.inbox;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.PresenceEvent;
import io.tether.contract.RedisKeys;
import io.tether.runtime.redis.LuaScript;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * A device's inbox, presence and delivery statuses in Redis. Every call is one atomic Lua script over keys that
 * share the device's hash tag (so it also runs on Redis Cluster), and every call that changes what the device can
 * take moves its inbox along in the same script: live entries go straight to the gateway's delivery channel.
 */
public final class DeviceInbox implements Inbox {
    private final RedisAsyncCommands<String, String> redis;
    private final InboxSettings settings;
    private final String policy;
    private final LongSupplier clock;

    public DeviceInbox(RedisAsyncCommands<String, String> redis, InboxSettings settings, RoutingPolicy policy, LongSupplier clock) {
        this.redis = redis;
        this.settings = settings;
        this.policy = policy.encoded();
        this.clock = clock;
    }

    public DeviceInbox(RedisAsyncCommands<String, String> redis, InboxSettings settings) {
        this(redis, settings, RoutingPolicy.standard(), System::currentTimeMillis);
    }

    public InboxSettings settings() {
        return settings;
    }

    @Override
    public CompletionStage<Routed> route(String deviceId, InboxEntry entry, long statusTtlSeconds) {
        return this.<List<Object>>run(InboxScripts.ROUTE, ScriptOutputType.MULTI, deviceId, deviceId, entry.messageId(), entry.stored(),
                Integer.toString(entry.size()), Long.toString(entry.expiresAt()), Integer.toString(settings.maxMessages()),
                Long.toString(settings.maxBytes()), Long.toString(statusTtlSeconds))
                .thenApply(r -> {
                    String failure = (String) r.get(2);
                    String overflowed = (String) r.get(4);
                    return new Routed((String) r.get(0), (Long) r.get(1), failure.isEmpty() ? null : failure, (Long) r.get(3),
                            overflowed.isEmpty() ? List.of() : Arrays.asList(overflowed.split(",")),
                            r.size() > 5 && (Long) r.get(5) == 1L, Pump.read(r, 6));
                });
    }

    @Override
    public CompletionStage<Direct> direct(String deviceId, String messageId, long statusTtlSeconds) {
        return this.<List<Object>>run(InboxScripts.DIRECT, ScriptOutputType.MULTI, deviceId, messageId, Long.toString(statusTtlSeconds))
                .thenApply(r -> {
                    String failure = (String) r.get(2);
                    return new Direct((String) r.get(0), (Long) r.get(1) == 1L, failure.isEmpty() ? null : failure);
                });
    }

    @Override
    public CompletionStage<PresenceChange> presence(PresenceEvent event) {
        // REASSERTED carries the app state the gateway holds as its reason.
        String appState = "background".equals(event.reason()) ? "background" : "foreground";
        return this.<List<Object>>run(InboxScripts.PRESENCE, ScriptOutputType.MULTI, event.deviceId(), event.deviceId(),
                event.kind().name(), Long.toString(event.epoch()), event.gatewayId(), Long.toString(event.at()), appState,
                event.reason() == null ? "" : event.reason())
                .thenApply(r -> {
                    String app = (String) r.get(2);
                    String deletedDeviceApp = (String) r.get(3);
                    return new PresenceChange((Long) r.get(0) == 1L, (String) r.get(1), app.isEmpty() ? null : app,
                            Pump.read(r, 4), deletedDeviceApp.isEmpty() ? null : deletedDeviceApp);
                });
    }

    @Override
    public CompletionStage<Acked> acknowledge(String deviceId, String messageId, String status, String reason, long epoch,
            String gatewayId) {
        return this.<List<Object>>run(InboxScripts.ACK, ScriptOutputType.MULTI, deviceId, deviceId, messageId,
                status, reason == null ? "" : reason, Long.toString(epoch), gatewayId)
                .thenApply(r -> new Acked((Long) r.get(0) == 1L, ((Long) r.get(1)).intValue(), ((Long) r.get(2)).intValue(),
                        Pump.strings(r, 3)));
    }

    @Override
    public CompletionStage<Pump.Live> resync(String deviceId, long epoch, String gatewayId) {
        return this.<List<Object>>run(InboxScripts.RESYNC, ScriptOutputType.MULTI, deviceId, deviceId, Long.toString(epoch), gatewayId)
                .thenApply(r -> new Pump.Live(((Long) r.get(0)).intValue(), ((Long) r.get(1)).intValue(), Pump.strings(r, 2)));
    }

    @Override
    public CompletionStage<Boolean> confirmPush(String deviceId, Pump.Push push) {
        List<String> args = new ArrayList<>(List.of(push.previousCursor(), push.cursor(), push.lastNudgeAt()));
        push.entries().forEach(e -> args.add(e.messageId()));
        return this.<Long>run(InboxScripts.PUSH_CONFIRM, ScriptOutputType.INTEGER, deviceId, args.toArray(String[]::new))
                .thenApply(n -> n == 1L);
    }

    @Override
    public CompletionStage<Boolean> pushed(String deviceId, String messageId, String apnsId) {
        return this.<Long>run(InboxScripts.PUSHED, ScriptOutputType.INTEGER, deviceId, messageId, "pushed", apnsId == null ? "" : apnsId,
                Long.toString(settings.openStatusTtlSeconds())).thenApply(n -> n == 1L);
    }

    @Override
    public CompletionStage<Void> pushFailed(String deviceId, String messageId, String reason) {
        return this.<Long>run(InboxScripts.PUSHED, ScriptOutputType.INTEGER, deviceId, messageId, "push-failed", reason,
                Long.toString(settings.openStatusTtlSeconds())).thenApply(n -> null);
    }

    @Override
    public CompletionStage<Pump> pump(String deviceId) {
        return this.<List<Object>>run(InboxScripts.PUMP, ScriptOutputType.MULTI, deviceId, deviceId).thenApply(r -> Pump.read(r, 0));
    }

    @Override
    public CompletionStage<List<InboxEntry>> pending(String deviceId, int limit) {
        return this.<List<Object>>run(InboxScripts.PENDING, ScriptOutputType.MULTI, deviceId, Integer.toString(limit))
                .thenApply(r -> r.stream().map(json -> InboxEntry.fromJson((String) json)).toList());
    }

    @Override
    public CompletionStage<Map<String, Boolean>> acknowledgeFetched(String deviceId, List<String> messageIds) {
        return this.<List<Object>>run(InboxScripts.FETCH_ACK, ScriptOutputType.MULTI, deviceId, messageIds.toArray(String[]::new))
                .thenApply(r -> {
                    Map<String, Boolean> out = new LinkedHashMap<>();
                    for (int i = 0; i < messageIds.size(); i++) {
                        out.put(messageIds.get(i), "delivered".equals(r.get(i)));
                    }
                    return out;
                });
    }

    @Override
    public CompletionStage<Expired> expire(String deviceId) {
        return this.<List<Object>>run(InboxScripts.EXPIRE, ScriptOutputType.MULTI, deviceId)
                .thenApply(r -> new Expired(((Long) r.get(0)).intValue(), (Long) r.get(1), Pump.strings(r, 2)));
    }

    private <T> CompletionStage<T> run(LuaScript script, ScriptOutputType type, String deviceId, String... extra) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        String[] args = new String[8 + extra.length];
        args[0] = Long.toString(clock.getAsLong());
        args[1] = Integer.toString(settings.window());
        args[2] = policy;
        args[3] = keys.status("");
        args[4] = Long.toString(settings.finalStatusTtlSeconds());
        args[5] = RedisKeys.DELIVER_CHANNEL_PREFIX;
        args[6] = Long.toString(settings.nudgeIntervalMillis());
        args[7] = Integer.toString(InboxSettings.PUSH_BATCH);
        System.arraycopy(extra, 0, args, 8, extra.length);
        return script.run(redis, type, new String[] {keys.record(), keys.presence(), keys.inbox(), keys.inboxData(), keys.inboxMeta()},
                args);
    }
}
