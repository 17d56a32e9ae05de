package io.tether.chaos.report;

import java.util.List;

/** A whole chaos run: its settings and one result per fault. */
public record ChaosResult(
        String mode,
        long started,
        long ended,
        int liveDevices,
        int suspendedDevices,
        int ratePerSecond,
        long skippedBusy,
        List<PhaseResult> phases) {

    public boolean passed() {
        return phases.stream().allMatch(PhaseResult::passed);
    }

    public long sent() {
        return phases.stream().mapToLong(p -> p.tally().sent()).sum();
    }

    public long lost() {
        return phases.stream().mapToLong(p -> p.tally().lost()).sum();
    }
}
