package io.tether.gateway.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.gateway.guard.ConnectGuard.Verdict;
import io.tether.runtime.limit.Standing;
import org.junit.jupiter.api.Test;

/** The decision alone; ConnectGuardIT runs the whole guard against Redis. */
class ConnectGuardTest {
    private static final long NOW = 1_000_000;

    @Test
    void aSourceNobodyHoldsBackIsHeard() {
        assertEquals(Verdict.ALLOW, ConnectGuard.verdict(Standing.CLEAN, Standing.CLEAN, NOW));
        assertEquals(Verdict.ALLOW, ConnectGuard.verdict(new Standing(9, NOW, 0), new Standing(3, NOW - 1, 0), NOW), "waits that are over");
    }

    @Test
    void aWaitingAddressOrClientIdIsAQuotaExceeded() {
        assertEquals(Verdict.QUOTA_EXCEEDED, ConnectGuard.verdict(new Standing(11, NOW + 1, 0), Standing.CLEAN, NOW));
        assertEquals(Verdict.QUOTA_EXCEEDED, ConnectGuard.verdict(Standing.CLEAN, new Standing(6, NOW + 1, 0), NOW));
    }

    @Test
    void aBannedAddressIsBannedWhateverElse() {
        assertEquals(Verdict.BANNED, ConnectGuard.verdict(new Standing(51, 0, NOW + 1), new Standing(6, NOW + 1, 0), NOW));
        assertEquals(Verdict.ALLOW, ConnectGuard.verdict(new Standing(51, 0, NOW), Standing.CLEAN, NOW), "a ban that ended");
    }
}
