package io.tether.gateway.store;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeviceFields;
import io.tether.contract.PushTokenKind;
import io.tether.contract.PushTokenScripts;
import io.tether.contract.PushTokenSlot;
import io.tether.contract.RedisKeys;
import io.tether.contract.StoredPushToken;
import io.tether.runtime.redis.LuaScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link GatewayStore} in Redis. All Lettuce futures stay inside this class. */
public final class RedisGatewayStore implements GatewayStore {
    private static final LuaScript CONNECT = LuaScript.load(RedisGatewayStore.class, "connect.lua");
    private static final LuaScript SESSION = LuaScript.load(RedisGatewayStore.class, "session.lua");
    private static final LuaScript CLAIM = LuaScript.load(RedisGatewayStore.class, "claim.lua");
    private static final LuaScript PUSH_TOKEN = LuaScript.load(RedisGatewayStore.class, "push-token.lua");
    /** Stored subscription fields in the session hash. */
    private static final String SUBSCRIPTION = "s:";

    /** Values of the will decisions claim.lua records. */
    private static final String RESUMED = "resumed";
    private static final String NEW_SESSION = "new";
    /** A will may fire a little after its session's expiry (timers, a slow Redis): its decision outlives that. */
    private static final Duration DECISION_MARGIN = Duration.ofMinutes(1);

    private final RedisAsyncCommands<String, String> redis;
    private final long heldTtlSeconds;
    private final long decisionTtlMillis;

    /**
     * @param heldTtl    how long a session is kept while a connection holds it, refreshed at every change: what a gateway
     *                   that dies without ending its sessions leaves behind at most
     * @param maxExpiry  the longest a session is kept after its connection ends, so the longest a will waits: how long a
     *                   first connection's decision is kept for a will that missed it
     */
    public RedisGatewayStore(RedisAsyncCommands<String, String> redis, Duration heldTtl, Duration maxExpiry) {
        this.redis = redis;
        this.heldTtlSeconds = Math.max(1, heldTtl.toSeconds());
        this.decisionTtlMillis = maxExpiry.plus(DECISION_MARGIN).toMillis();
    }

    public RedisGatewayStore(RedisAsyncCommands<String, String> redis, Duration heldTtl) {
        this(redis, heldTtl, heldTtl);
    }

    public RedisGatewayStore(RedisAsyncCommands<String, String> redis) {
        this(redis, Duration.ofDays(30));
    }

    @Override
    public CompletionStage<Optional<ConnectInfo>> connect(String deviceId) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        return CONNECT.<List<Object>>run(redis, ScriptOutputType.MULTI,
                new String[] {keys.record(), keys.epoch(), keys.grants(), keys.session()},
                Long.toString(System.currentTimeMillis())).thenApply(RedisGatewayStore::connectInfo);
    }

    private static Optional<ConnectInfo> connectInfo(List<Object> r) {
        if ((Long) r.get(0) == 0L) {
            return Optional.empty();
        }
        int grantValues = ((Long) r.get(5)).intValue();
        Map<String, String> grants = new LinkedHashMap<>();
        for (int i = 6; i + 1 < 6 + grantValues; i += 2) {
            grants.put((String) r.get(i), (String) r.get(i + 1));
        }
        Map<String, Integer> subscriptions = new HashMap<>();
        boolean sessionExists = false;
        long sessionEpoch = 0;
        for (int i = 6 + grantValues; i + 1 < r.size(); i += 2) {
            sessionExists = true;
            String field = (String) r.get(i);
            if (field.startsWith(SUBSCRIPTION)) {
                subscriptions.put(field.substring(SUBSCRIPTION.length()), Integer.parseInt((String) r.get(i + 1)));
            } else if (field.equals("epoch")) {
                sessionEpoch = Long.parseLong((String) r.get(i + 1));
            }
        }
        String user = (String) r.get(2);
        return Optional.of(new ConnectInfo((String) r.get(1), user.isEmpty() ? null : user, grants, (Long) r.get(3), (Long) r.get(4),
                sessionExists ? new StoredSession(true, subscriptions, sessionEpoch) : StoredSession.NONE));
    }

    @Override
    public CompletionStage<Claim> claim(String deviceId, String gatewayId, long epoch, OptionalLong credentialVersion,
            Optional<String> source, Duration sourceTtl) {
        String version = credentialVersion.isPresent() ? Long.toString(credentialVersion.getAsLong()) : "";
        return CLAIM.<Long>run(redis, ScriptOutputType.INTEGER, keys(deviceId),
                args(deviceId, gatewayId, epoch, version, source.orElse(""), sourceTtl)).thenApply(RedisGatewayStore::claim);
    }

    @Override
    public CompletionStage<Opening> open(String deviceId, String gatewayId, long epoch, long credentialVersion, String source,
            Duration sourceTtl, SessionClaim session) {
        return CLAIM.<List<Long>>run(redis, ScriptOutputType.MULTI, keys(deviceId), args(deviceId, gatewayId, epoch,
                Long.toString(credentialVersion), source, sourceTtl, flag(session.cleanStart()), flag(session.kept()),
                Long.toString(session.expiry().toSeconds()), Long.toString(heldTtlSeconds), Long.toString(session.found()),
                Long.toString(decisionTtlMillis)))
                .thenApply(reply -> new Opening(claim(reply.get(0)), reply.get(1) == 1L, reply.get(2)));
    }

    /** claim.lua's keys. */
    private static String[] keys(String deviceId) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        return new String[] {keys.record(), keys.owner(), keys.authOrigins(), keys.session(), keys.willDecisions()};
    }

    /** claim.lua's arguments; {@code opening} the session claim's, none when checking a claim again. */
    private static String[] args(String deviceId, String gatewayId, long epoch, String version, String source, Duration sourceTtl,
            String... opening) {
        List<String> args = new ArrayList<>(List.of(gatewayId, Long.toString(epoch), version, RedisKeys.CONTROL_CHANNEL_PREFIX, deviceId,
                source, Long.toString(sourceTtl.toMillis())));
        args.addAll(List.of(opening));
        return args.toArray(String[]::new);
    }

    private static Claim claim(Long code) {
        return switch (code.intValue()) {
            case 1 -> Claim.HELD;
            case 0 -> Claim.TAKEN_OVER;
            default -> Claim.CREDENTIALS_CHANGED;
        };
    }

    @Override
    public CompletionStage<Map<String, String>> userGrants(String userId) {
        return userId == null ? CompletableFuture.completedFuture(Map.of()) : redis.hgetall(RedisKeys.userGrants(userId));
    }

    @Override
    public CompletionStage<Boolean> subscribe(String deviceId, long epoch, Map<String, Integer> subscriptions) {
        List<String> args = new ArrayList<>(List.of(Long.toString(heldTtlSeconds)));
        subscriptions.forEach((filter, qos) -> {
            args.add(filter);
            args.add(Integer.toString(qos));
        });
        return session(deviceId, "subscribe", epoch, args.toArray(String[]::new));
    }

    @Override
    public CompletionStage<Boolean> unsubscribe(String deviceId, long epoch, List<String> filters) {
        List<String> args = new ArrayList<>(List.of(Long.toString(heldTtlSeconds)));
        args.addAll(filters);
        return session(deviceId, "unsubscribe", epoch, args.toArray(String[]::new));
    }

    @Override
    public CompletionStage<Boolean> endSession(String deviceId, long epoch, Duration expiry) {
        return session(deviceId, "end", epoch, Long.toString(expiry.toSeconds()));
    }

    private CompletionStage<Boolean> session(String deviceId, String operation, long epoch, String... rest) {
        String[] args = new String[rest.length + 2];
        args[0] = operation;
        args[1] = Long.toString(epoch);
        System.arraycopy(rest, 0, args, 2, rest.length);
        return SESSION.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {RedisKeys.device(deviceId).session()}, args)
                .thenApply(applied -> applied == 1L);
    }

    private static String flag(boolean value) {
        return value ? "1" : "0";
    }

    @Override
    public CompletionStage<WillCheck> willCheck(String deviceId, long epoch) {
        RedisKeys.Device keys = RedisKeys.device(deviceId);
        // The owner first: claim.lua writes a decision with the owner it replaces, so one read after it sees that decision.
        return redis.hget(keys.owner(), "epoch").thenCompose(holder -> redis.hget(keys.willDecisions(), Long.toString(epoch))
                .thenApply(decision -> new WillCheck(decision(decision),
                        holder == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(holder)))));
    }

    @Override
    public CompletionStage<Decision> willDecision(String deviceId, long epoch) {
        return redis.hget(RedisKeys.device(deviceId).willDecisions(), Long.toString(epoch)).thenApply(RedisGatewayStore::decision);
    }

    private static Decision decision(String recorded) {
        if (RESUMED.equals(recorded)) {
            return Decision.RESUMED;
        }
        return NEW_SESSION.equals(recorded) ? Decision.NEW_SESSION : Decision.NONE;
    }

    @Override
    public CompletionStage<Optional<String>> secretHash(String deviceId) {
        return redis.hget(RedisKeys.device(deviceId).record(), DeviceFields.SECRET_HASH).thenApply(Optional::ofNullable);
    }

    @Override
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

    @Override
    public CompletionStage<Boolean> updatePushToken(String deviceId, String token, String environment) {
        return PUSH_TOKEN.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {RedisKeys.device(deviceId).record()},
                token, environment, Long.toString(System.currentTimeMillis())).thenApply(n -> n == 1L);
    }

    @Override
    public CompletionStage<Boolean> heartbeat(String gatewayId, Duration ttl) {
        return redis.sadd(RedisKeys.gateways(), gatewayId)
                .thenCompose(n -> redis.setGet(RedisKeys.gatewayHeartbeat(gatewayId), "1", SetArgs.Builder.px(ttl.toMillis())))
                .thenApply(previous -> previous == null);
    }

    @Override
    public CompletionStage<Void> subscribedToTopic(String deviceId, String filter) {
        return redis.sadd(RedisKeys.topicSubscribers(filter), deviceId)
                .thenCompose(n -> redis.sadd(RedisKeys.topicFilters(), filter)).thenApply(n -> null);
    }

    @Override
    public CompletionStage<Void> unsubscribedFromTopic(String deviceId, String filter) {
        return redis.srem(RedisKeys.topicSubscribers(filter), deviceId).thenApply(n -> null);
    }

    @Override
    public CompletionStage<Void> addDevice(String gatewayId, String deviceId) {
        return redis.sadd(RedisKeys.gatewayDevices(gatewayId), deviceId).thenApply(n -> null);
    }

    @Override
    public CompletionStage<Void> removeDevice(String gatewayId, String deviceId) {
        return redis.srem(RedisKeys.gatewayDevices(gatewayId), deviceId).thenApply(n -> null);
    }
}
