package io.tether.gateway.guard;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.DeviceId;
import io.tether.contract.RedisKeys;
import io.tether.runtime.limit.FailureLog;
import io.tether.runtime.limit.FailurePolicy;
import io.tether.runtime.limit.HeldBack;
import io.tether.runtime.limit.Standing;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Failed CONNECTs slow their source down, counted in Redis across every gateway: per source address (see
 * {@code SourceAddress}: a few free failures, then a doubling wait, then a ban) and per client id (a doubling wait,
 * never a ban). A CONNECT whose source must still wait is refused unheard: its password is never checked, so guessing
 * goes no faster than the waits allow. An address the device authenticated from before is exempt from both, so an
 * attack on a device's id does not lock the device out; a device on an address new to it waits like anyone else (the
 * claim of each accepted connection remembers its address, see claim.lua).
 * Each gateway also counts its own failures at once ({@link HeldBack}), so a burst of parallel attempts is held back
 * before Redis has answered for the first of them, and an address known to be banned costs no Redis read.
 */
public final class ConnectGuard {
    private static final Logger LOG = Logger.getLogger(ConnectGuard.class);
    private static final String DOOR = "mqtt";

    /** What a CONNECT may do before its credentials are looked at. */
    public enum Verdict {
        ALLOW,
        /** The source must wait: 0x97 (MQTT 3.1.1: 0x03). */
        QUOTA_EXCEEDED,
        /** The address is banned: 0x8A (MQTT 3.1.1: 0x05). */
        BANNED
    }

    private final FailureLog log;
    private final RedisAsyncCommands<String, String> redis;
    private final FailurePolicy perAddress;
    private final FailurePolicy perClientId;
    private final GuardListener listener;
    private final HeldBack heldBack;

    /** Counts the guard's decisions (metrics). */
    public interface GuardListener {
        void throttled(String scope, Verdict verdict);
    }

    public ConnectGuard(FailureLog log, RedisAsyncCommands<String, String> redis, FailurePolicy perAddress, FailurePolicy perClientId,
            GuardListener listener) {
        this.log = log;
        this.redis = redis;
        this.perAddress = perAddress;
        this.perClientId = perClientId;
        this.listener = listener;
        this.heldBack = new HeldBack(perAddress, log::now);
    }

    /** Whether a CONNECT from {@code source} as {@code clientId} (possibly not a valid device id) is heard at all. */
    public CompletionStage<Verdict> admit(String clientId, String source) {
        boolean device = DeviceId.isValid(clientId);
        Optional<Standing> here = heldBack.waiting(source);
        // Banned as far as this gateway knows: no need to ask. Else the shared count, and the longer of both waits.
        CompletionStage<Standing> address = here.filter(standing -> standing.bannedAt(log.now())).isPresent()
                ? CompletableFuture.completedFuture(here.get())
                : log.read(RedisKeys.authFailures(DOOR, source)).thenApply(shared -> here.map(mine -> mine.or(shared)).orElse(shared));
        CompletionStage<Standing> id = device ? log.read(RedisKeys.device(clientId).authFailures())
                : CompletableFuture.completedFuture(Standing.CLEAN);
        return address.thenCombine(id, (a, i) -> new Standing[] {a, i}).thenCompose(standings -> {
            Verdict verdict = verdict(standings[0], standings[1], log.now());
            if (verdict == Verdict.ALLOW) {
                return CompletableFuture.completedFuture(verdict);
            }
            // Held back: unless the device authenticated from this address before (read only now, when it matters).
            CompletionStage<Boolean> origin = device
                    ? redis.zscore(RedisKeys.device(clientId).authOrigins(), source).thenApply(score -> score != null)
                    : CompletableFuture.completedFuture(false);
            return origin.thenApply(knownOrigin -> knownOrigin ? Verdict.ALLOW : holdBack(verdict, clientId, source, standings[0]));
        });
    }

    private Verdict holdBack(Verdict verdict, String clientId, String source, Standing address) {
        // An address hammering while it must wait goes on counting towards its ban; a wait that is the client id's
        // alone counts against both (an attack on one id spread over addresses); a banned address counts no more.
        boolean byAddress = address.waitAt(log.now()).isPresent();
        listener.throttled(byAddress ? "address" : "client-id", verdict);
        if (verdict != Verdict.BANNED) {
            count(byAddress ? null : clientId, source);
        }
        return verdict;
    }

    /** The decision, given where the address and the client id stand at {@code now}. */
    static Verdict verdict(Standing address, Standing clientId, long now) {
        if (address.bannedAt(now)) {
            return Verdict.BANNED;
        }
        return address.waitAt(now).isPresent() || clientId.waitAt(now).isPresent() ? Verdict.QUOTA_EXCEEDED : Verdict.ALLOW;
    }

    /** The credentials were wrong or missing: counts against the address and, when it is one, the device id. */
    public void failed(String clientId, String source) {
        count(DeviceId.isValid(clientId) ? clientId : null, source);
    }

    private void count(String clientId, String source) {
        heldBack.countHere(source);
        log.record(RedisKeys.authFailures(DOOR, source), perAddress).whenComplete((standing, error) -> {
            if (error != null) {
                LOG.debugf("failed CONNECT not counted: %s", error.getMessage());
            } else {
                heldBack.learn(source, standing);
            }
        });
        if (clientId != null) {
            log.record(RedisKeys.device(clientId).authFailures(), perClientId).exceptionally(error -> {
                LOG.debugf("failed CONNECT not counted: %s", error.getMessage());
                return null;
            });
        }
    }
}
