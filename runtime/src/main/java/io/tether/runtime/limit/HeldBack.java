package io.tether.runtime.limit;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The sources this instance holds back, and why: its own failures counted at once with the policy (so a burst of
 * parallel attempts is held back before Redis has answered for the first of them), merged with what the shared count
 * in Redis ({@link FailureLog}) answered (so failures on other instances count too). Bounded: sources that neither
 * wait nor failed within the window go first.
 */
public final class HeldBack {
    private static final int CAPACITY = 100_000;

    private final FailurePolicy policy;
    private final LongSupplier clock;
    private final Map<String, Entry> sources = new ConcurrentHashMap<>();

    private record Entry(long localFailures, long lastFailure, Standing standing) {
    }

    public HeldBack(FailurePolicy policy, LongSupplier clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** Where the source stands, if it must wait now. */
    public Optional<Standing> waiting(String source) {
        Entry entry = sources.get(source);
        return entry != null && entry.standing().waitAt(clock.getAsLong()).isPresent() ? Optional.of(entry.standing()) : Optional.empty();
    }

    /** Counts one failure of the source here, before Redis counts it for everyone. */
    public void countHere(String source) {
        long now = clock.getAsLong();
        sources.compute(source, (key, entry) -> {
            long failures = entry == null || now - entry.lastFailure() > policy.window().toMillis() ? 1 : entry.localFailures() + 1;
            Standing before = entry == null ? Standing.CLEAN : entry.standing();
            Standing local = policy.bans() && failures > policy.banAfter()
                    ? new Standing(failures, before.blockedUntil(), now + policy.ban().toMillis())
                    : new Standing(failures, Math.max(before.blockedUntil(), now + policy.waitAfter((int) Math.min(failures, Integer.MAX_VALUE)).toMillis()),
                            before.bannedUntil());
            return new Entry(failures, now, local);
        });
        tidy(now);
    }

    /** What Redis answered for the source: kept when it holds the source back longer than what is known here. */
    public void learn(String source, Standing shared) {
        long now = clock.getAsLong();
        sources.compute(source, (key, entry) -> {
            if (entry == null) {
                return shared.waitAt(now).isPresent() ? new Entry(0, now, shared) : null;
            }
            return new Entry(entry.localFailures(), entry.lastFailure(), entry.standing().or(shared));
        });
    }

    private void tidy(long now) {
        if (sources.size() > CAPACITY) {
            sources.values().removeIf(entry -> entry.standing().waitAt(now).isEmpty()
                    && now - entry.lastFailure() > policy.window().toMillis());
            if (sources.size() > CAPACITY) {
                sources.clear();
            }
        }
    }
}
