package io.tether.rest.limit;

import io.tether.contract.RedisKeys;
import io.tether.runtime.limit.FailureLog;
import io.tether.runtime.limit.FailurePolicy;
import io.tether.runtime.limit.HeldBack;
import io.tether.runtime.limit.Standing;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Requests that fail to authenticate (no credentials, or credentials that are not valid: 401) slow their source
 * address down, counted in Redis across every instance of every REST service: a few are free, then the address must
 * wait, the wait doubling, and one that keeps failing is banned for a while. While it waits, its requests are answered
 * 429 without their credentials being looked at, so keys and device passwords cannot be guessed faster than the waits
 * allow. Each instance also counts its own failures at once ({@link HeldBack}); it learns of failures elsewhere at the
 * address's next failure here. Requests that authenticate never touch Redis here.
 */
public final class FailedAuthLimiter {
    private static final Logger LOG = Logger.getLogger(FailedAuthLimiter.class);
    private static final String DOOR = "rest";

    private final FailureLog log;
    private final FailurePolicy policy;
    private final LongSupplier clock;
    private final HeldBack heldBack;
    private final Listener listener;

    /** Counts what the limiter did (metrics). */
    public interface Listener {
        Listener NONE = new Listener() {
            @Override
            public void failed() {
            }

            @Override
            public void throttled() {
            }
        };

        /** A request failed to authenticate. */
        void failed();

        /** A request was answered 429 unheard: its address must wait. */
        void throttled();
    }

    /**
     * @param log    the shared count; null to count on this instance only (a service without Redis)
     * @param policy null holds nobody back (failures are still counted in the metrics)
     */
    public FailedAuthLimiter(FailureLog log, FailurePolicy policy, LongSupplier clock, Listener listener) {
        this.log = log;
        this.policy = policy;
        this.clock = clock;
        this.heldBack = policy == null ? null : new HeldBack(policy, clock);
        this.listener = listener;
    }

    /** A limiter that holds nobody back. */
    public static FailedAuthLimiter disabled() {
        return new FailedAuthLimiter(null, null, System::currentTimeMillis, Listener.NONE);
    }

    /**
     * How long the address must still wait, if it must. A request that comes while its address must wait is counted
     * like a failure (towards the ban), unless the address is banned already.
     */
    public Optional<Duration> waiting(String source) {
        if (policy == null) {
            return Optional.empty();
        }
        long now = clock.getAsLong();
        Optional<Standing> standing = heldBack.waiting(source);
        if (standing.isEmpty()) {
            return Optional.empty();
        }
        listener.throttled();
        if (!standing.get().bannedAt(now)) {
            count(source);
        }
        return standing.get().waitAt(now);
    }

    /** A request from {@code source} failed to authenticate. */
    public void failed(String source) {
        listener.failed();
        if (policy != null) {
            count(source);
        }
    }

    private void count(String source) {
        heldBack.countHere(source);
        if (log != null) {
            log.record(RedisKeys.authFailures(DOOR, source), policy).whenComplete((Standing standing, Throwable error) -> {
                if (error != null) {
                    LOG.debugf("failed authentication not counted: %s", error.getClass().getSimpleName());
                } else {
                    heldBack.learn(source, standing);
                }
            });
        }
    }
}
