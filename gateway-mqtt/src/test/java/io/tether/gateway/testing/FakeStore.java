package io.tether.gateway.testing;

import io.tether.gateway.store.GatewayStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link GatewayStore} in memory that records its calls: what CONNECT reads is set by the test ({@link #device}),
 * and every write completes at once unless the test holds it ({@link #holdClaims}) or fails it.
 */
public final class FakeStore implements GatewayStore {
    public final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    public final Map<String, ConnectInfo> devices = new HashMap<>();
    public final Map<String, Map<String, String>> userGrants = new HashMap<>();
    public final List<CompletableFuture<Claim>> heldClaims = new ArrayList<>();
    public boolean holdClaims;
    /** When set, connect.lua's answers wait in {@link #heldConnects} for the test to release them. */
    public boolean holdConnects;
    public final List<Runnable> heldConnects = new ArrayList<>();
    public RuntimeException connectFailure;
    public boolean failSessionWrites;
    /** When set, subscribe and unsubscribe writes wait in {@link #heldSessionWrites} for the test to complete them. */
    public boolean holdSessionWrites;
    public final List<CompletableFuture<Boolean>> heldSessionWrites = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What a new connection's claim finds ({@link #open}). */
    public volatile Claim openOutcome = Claim.HELD;
    private long epoch = 100;
    /** The newest connection's epoch per device as claim.lua's owner hash has it ({@link #willCheck}); absent: none. */
    public final Map<String, Long> holders = new java.util.concurrent.ConcurrentHashMap<>();
    /** The decisions claim.lua recorded, by "device epoch" ({@link #willCheck}); absent: none. */
    public final Map<String, Decision> decisions = new java.util.concurrent.ConcurrentHashMap<>();
    /** When set, reading the owner hash fails (Redis away). */
    public volatile RuntimeException holderFailure;
    /** How many of the next will checks fail (Redis away for a moment), before {@link #holderFailure} is looked at. */
    public final java.util.concurrent.atomic.AtomicInteger failingWillChecks = new java.util.concurrent.atomic.AtomicInteger();
    /** The connection a new connection's claim comes first after ({@link Opening#followed}); 0: none. */
    public volatile long openFollows;
    /** When set, the stored session a CONNECT read is gone by the time it is claimed: nothing is resumed. */
    public volatile boolean sessionGoneAtClaim;

    /** A device CONNECT finds, with the secret hash of its password, no grants and nothing stored. */
    public FakeStore device(String id, String secretHash) {
        return device(id, secretHash, StoredSession.NONE);
    }

    public FakeStore device(String id, String secretHash, StoredSession session) {
        devices.put(id, new ConnectInfo(secretHash, null, Map.of(), 0, 0, session));
        return this;
    }

    @Override
    public CompletionStage<Optional<ConnectInfo>> connect(String deviceId) {
        calls.add("connect " + deviceId);
        if (connectFailure != null) {
            return CompletableFuture.failedFuture(connectFailure);
        }
        ConnectInfo info = devices.get(deviceId);
        Optional<ConnectInfo> found = Optional.ofNullable(info).map(i -> new ConnectInfo(i.secretHash(), i.userId(), i.grants(),
                ++epoch, i.credentialVersion(), i.session()));
        if (holdConnects) {
            CompletableFuture<Optional<ConnectInfo>> held = new CompletableFuture<>();
            heldConnects.add(() -> held.complete(found));
            return held;
        }
        return CompletableFuture.completedFuture(found);
    }

    @Override
    public CompletionStage<Map<String, String>> userGrants(String userId) {
        return CompletableFuture.completedFuture(userId == null ? Map.of() : userGrants.getOrDefault(userId, Map.of()));
    }

    /**
     * A new connection's claim: {@link #openOutcome}, at once or when the test completes it ({@link #holdClaims}); the
     * session claim is recorded ("claim ...") only when the outcome is HELD, as claim.lua takes the session only then.
     * HELD resumes the device's stored session unless it asked for a clean start or {@link #sessionGoneAtClaim}, and
     * follows {@link #openFollows}.
     */
    @Override
    public CompletionStage<Opening> open(String deviceId, String gatewayId, long epoch, long credentialVersion, String source,
            Duration sourceTtl, SessionClaim claim) {
        CompletableFuture<Claim> outcome = new CompletableFuture<>();
        if (holdClaims) {
            heldClaims.add(outcome);
        } else {
            outcome.complete(openOutcome);
        }
        return outcome.thenApply(found -> {
            if (found == Claim.HELD) {
                calls.add("claim " + deviceId + " " + epoch + " clean=" + claim.cleanStart() + " kept=" + claim.kept() + " expiry="
                        + claim.expiry().toSeconds());
                ConnectInfo info = devices.get(deviceId);
                boolean resumed = !claim.cleanStart() && claim.kept() && !sessionGoneAtClaim && info != null && info.session().exists();
                return new Opening(found, resumed, openFollows);
            }
            return Opening.of(found);
        });
    }

    @Override
    public CompletionStage<Claim> claim(String deviceId, String gatewayId, long epoch, java.util.OptionalLong credentialVersion,
            Optional<String> source, Duration sourceTtl) {
        calls.add("owner " + deviceId + " " + gatewayId + " " + epoch);
        return CompletableFuture.completedFuture(Claim.HELD);
    }

    @Override
    public CompletionStage<Boolean> subscribe(String deviceId, long epoch, Map<String, Integer> subscriptions) {
        calls.add("subscribe " + deviceId + " " + epoch + " " + subscriptions);
        return write();
    }

    @Override
    public CompletionStage<Boolean> unsubscribe(String deviceId, long epoch, List<String> filters) {
        calls.add("unsubscribe " + deviceId + " " + epoch + " " + filters);
        return write();
    }

    @Override
    public CompletionStage<Boolean> endSession(String deviceId, long epoch, Duration expiry) {
        calls.add("end " + deviceId + " " + epoch + " " + expiry.toSeconds());
        return write();
    }

    private CompletionStage<Boolean> write() {
        if (holdSessionWrites) {
            CompletableFuture<Boolean> held = new CompletableFuture<>();
            heldSessionWrites.add(held);
            return held;
        }
        return failSessionWrites ? CompletableFuture.failedFuture(new IllegalStateException("redis away"))
                : CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<WillCheck> willCheck(String deviceId, long epoch) {
        calls.add("will-check " + deviceId + " " + epoch);
        if (failingWillChecks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("redis away for a moment"));
        }
        if (holderFailure != null) {
            return CompletableFuture.failedFuture(holderFailure);
        }
        Long held = holders.get(deviceId);
        return CompletableFuture.completedFuture(new WillCheck(decisions.getOrDefault(deviceId + " " + epoch, Decision.NONE),
                held == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(held)));
    }

    @Override
    public CompletionStage<Decision> willDecision(String deviceId, long epoch) {
        calls.add("will-decision " + deviceId + " " + epoch);
        if (failingWillChecks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("redis away for a moment"));
        }
        if (holderFailure != null) {
            return CompletableFuture.failedFuture(holderFailure);
        }
        return CompletableFuture.completedFuture(decisions.getOrDefault(deviceId + " " + epoch, Decision.NONE));
    }

    @Override
    public CompletionStage<Optional<String>> secretHash(String deviceId) {
        return CompletableFuture.completedFuture(Optional.ofNullable(devices.get(deviceId)).map(ConnectInfo::secretHash));
    }

    @Override
    public CompletionStage<Boolean> updatePushToken(String deviceId, io.tether.contract.PushTokenSlot slot, String token,
            String environment, String activityType) {
        calls.add("push-token " + deviceId + " " + slot + " " + token + " " + environment);
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Boolean> updatePushToken(String deviceId, String token, String environment) {
        calls.add("push-token " + deviceId + " " + token + " " + environment);
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Boolean> heartbeat(String gatewayId, Duration ttl) {
        return CompletableFuture.completedFuture(false);
    }

    @Override
    public CompletionStage<Void> subscribedToTopic(String deviceId, String filter) {
        calls.add("topic-subscribed " + deviceId + " " + filter);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> unsubscribedFromTopic(String deviceId, String filter) {
        calls.add("topic-unsubscribed " + deviceId + " " + filter);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> addDevice(String gatewayId, String deviceId) {
        calls.add("add-device " + gatewayId + " " + deviceId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> removeDevice(String gatewayId, String deviceId) {
        calls.add("remove-device " + gatewayId + " " + deviceId);
        return CompletableFuture.completedFuture(null);
    }

    /** Calls that start with {@code prefix}. */
    public List<String> calls(String prefix) {
        return calls.stream().filter(c -> c.startsWith(prefix)).toList();
    }
}
