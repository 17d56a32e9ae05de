package io.tether.gateway.store;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.tether.runtime.redis.LuaScript;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeviceFields;
import io.tether.contract.PushTokenKind;
import io.tether.contract.PushTokenScripts;
import io.tether.contract.PushTokenSlot;
import io.tether.contract.RedisKeys;
import io.tether.contract.StoredPushToken;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What the gateway reads and writes in Redis. All Lettuce futures stay inside this class. */
public final class GatewayStore {
    private static final LuaScript CONNECT = LuaScript.load(GatewayStore.class, "connect.lua");
    private static final LuaScript CLAIM = LuaScript.load(GatewayStore.class, "claim.lua");
    private static final LuaScript PUSH_TOKEN = LuaScript.load(GatewayStore.class, "push-token.lua");

    private final RedisAsyncCommands<String, String> redis;

    /**
     * What a CONNECT needs of the device, read in one script (see connect.lua).
     *
     * @param secretHash SHA-256 of the device's MQTT password; empty when it has none (certificate only)
     * @param userId     the device's user, or null
     * @param grants     the device's own grants (filter → actions); its user's come from {@link #userGrants}
     * @param epoch      the new connection's epoch
     * @param credentialVersion the device's credential version now; the connection's claim holds on to it
     */
    public record ConnectInfo(String secretHash, String userId, Map<String, String> grants, long epoch, long credentialVersion) {
    }

    /** What a claim of a connection found (see claim.lua). */
    public enum Claim {
        /** The connection holds the device. */
        HELD,
        /** A newer connection of the device holds it: this one must go (DISCONNECT 0x8E). */
        TAKEN_OVER,
        /** The device was deleted, or its credentials revoked or rotated since the connection authenticated. */
        CREDENTIALS_CHANGED
    }

    /** The device's connect-time facts and a new epoch; empty when the device is unknown or its credentials are revoked. */
    public CompletionStage<Optional<ConnectInfo>> connect(String deviceId) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        return CONNECT.<List<Object>>run(redis, ScriptOutputType.MULTI, new String[] {keys.record(), keys.epoch(), keys.grants()},
                Long.toString(System.currentTimeMillis())).thenApply(r -> {
                    if ((Long) r.get(0) == 0L) {
                        return Optional.empty();
                    }
                    Map<String, String> grants = new java.util.LinkedHashMap<>();
                    for (int i = 5; i + 1 < r.size(); i += 2) {
                        grants.put((String) r.get(i), (String) r.get(i + 1));
                    }
                    String user = (String) r.get(2);
                    return Optional.of(new ConnectInfo((String) r.get(1), user.isEmpty() ? null : user, grants, (Long) r.get(3), (Long) r.get(4)));
                });
    }

    /**
     * Claims the device for the connection {@code epoch} on {@code gatewayId}, or checks the claim again: tells the
     * gateway of an older connection to close it, and says whether this one still holds and may (see claim.lua).
     *
     * @param credentialVersion the version the connection authenticated under; empty when checking an existing claim
     * @param source            the address the device authenticated from, remembered as its own for {@code sourceTtl};
     *                          empty when checking an existing claim
     */
    public CompletionStage<Claim> claim(String deviceId, String gatewayId, long epoch, OptionalLong credentialVersion,
            Optional<String> source, Duration sourceTtl) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        String version = credentialVersion.isPresent() ? Long.toString(credentialVersion.getAsLong()) : "";
        return CLAIM.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {keys.record(), keys.owner(), keys.authOrigins()},
                gatewayId, Long.toString(epoch), version, RedisKeys.CONTROL_CHANNEL_PREFIX, deviceId, source.orElse(""),
                Long.toString(sourceTtl.toMillis())).thenApply(r -> switch (r.intValue()) {
                    case 1 -> Claim.HELD;
                    case 0 -> Claim.TAKEN_OVER;
                    default -> Claim.CREDENTIALS_CHANGED;
                });
    }

    /** The grants of a user, for every device of the user. */
    public CompletionStage<Map<String, String>> userGrants(String userId) {
        return userId == null ? CompletableFuture.completedFuture(Map.of()) : redis.hgetall(RedisKeys.userGrants(userId));
    }

    public GatewayStore(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** The stored SHA-256 of the device's MQTT password, empty when the device is unknown or its credentials revoked. */
    public CompletionStage<Optional<String>> secretHash(String deviceId) {
        return redis.hget(RedisKeys.device(deviceId).record(), DeviceFields.SECRET_HASH).thenApply(Optional::ofNullable);
    }

    /**
     * Stores (or with a null token removes) a token of any kind the device reported itself; false when the device
     * record is gone. The standard token stays in the device hash, the others go through the registry's script.
     *
     * @throws IllegalStateException in the stage when the device holds too many tokens already
     */
    public CompletionStage<Boolean> updatePushToken(String deviceId, PushTokenSlot slot, String token, String environment,
            String activityType) {
        if (slot.kind() == PushTokenKind.ALERT) {
            if (token == null) {
                String record = RedisKeys.device(deviceId).record();
                return redis.exists(record).thenCompose(n -> n == 0 ? CompletableFuture.completedFuture(false)
                        : redis.hdel(record, DeviceFields.PUSH_TOKEN, DeviceFields.PUSH_ENVIRONMENT, DeviceFields.PUSH_TOKEN_UPDATED_AT)
                                .thenApply(x -> true));
            }
            return updatePushToken(deviceId, token, environment);
        }
        long now = System.currentTimeMillis();
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        StoredPushToken stored = token == null ? null : new StoredPushToken(token, environment, now, activityType);
        CompletionStage<Long> result = redis.eval(PushTokenScripts.SET, ScriptOutputType.INTEGER,
                new String[] {keys.record(), keys.pushTokens()}, PushTokenScripts.setArgs(slot, stored, now));
        return result.thenApply(n -> {
            if (n != null && n < 0) {
                throw new IllegalStateException("device holds " + PushTokenScripts.MAX_TOKENS + " push tokens already");
            }
            return n != null && n == 1L;
        });
    }

    /** Stores a standard push token the device reported itself; false (and nothing written) when the device record is gone. */
    public CompletionStage<Boolean> updatePushToken(String deviceId, String token, String environment) {
        return PUSH_TOKEN.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {RedisKeys.device(deviceId).record()},
                token, environment, Long.toString(System.currentTimeMillis())).thenApply(n -> n == 1L);
    }

    /**
     * Announces this instance (fanout watches the set) and refreshes its heartbeat; true when the heartbeat had
     * lapsed before this beat (the first beat of an instance, Redis restarted or lost data, or a beat came too late).
     */
    public CompletionStage<Boolean> heartbeat(String gatewayId, Duration ttl) {
        return redis.sadd(RedisKeys.gateways(), gatewayId)
                .thenCompose(n -> redis.setGet(RedisKeys.gatewayHeartbeat(gatewayId), "1", SetArgs.Builder.px(ttl.toMillis())))
                .thenApply(previous -> previous == null);
    }

    /**
     * The device subscribed to a granted filter outside its own namespace: it joins the filter's subscriber set, which
     * fanout expands topic messages from. Kept across connections, until the device unsubscribes.
     */
    public CompletionStage<Void> subscribedToTopic(String deviceId, String filter) {
        return redis.sadd(RedisKeys.topicSubscribers(filter), deviceId)
                .thenCompose(n -> redis.sadd(RedisKeys.topicFilters(), filter)).thenApply(n -> null);
    }

    /** The device unsubscribed from a granted filter: topic messages no longer reach it through that filter. */
    public CompletionStage<Void> unsubscribedFromTopic(String deviceId, String filter) {
        return redis.srem(RedisKeys.topicSubscribers(filter), deviceId).thenApply(n -> null);
    }

    public CompletionStage<Void> addDevice(String gatewayId, String deviceId) {
        return redis.sadd(RedisKeys.gatewayDevices(gatewayId), deviceId).thenApply(n -> null);
    }

    public CompletionStage<Void> removeDevice(String gatewayId, String deviceId) {
        return redis.srem(RedisKeys.gatewayDevices(gatewayId), deviceId).thenApply(n -> null);
    }}
