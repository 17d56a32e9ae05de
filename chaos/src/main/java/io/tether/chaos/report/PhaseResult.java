package io.tether.chaos.report;

import io.tether.chaos.stack.Fault;
import java.util.List;
import java.util.Map;

/**
 * One fault of a run and what came of it.
 *
 * @param target      the process hit (for the gateway: which instance)
 * @param started     when the phase began sending (epoch ms); the fault came {@code warmup} later
 * @param faultStart  when the process was killed or frozen
 * @param faultEnd    when it was ready again after its restart, or was sent SIGCONT
 * @param ended       when the phase stopped counting new messages
 * @param suspendedAccepted messages answered 202 for suspended devices (each carries a push alert)
 * @param suspendedPushed   how many of those the local APNs accepted
 * @param lostStatus  for some lost messages: what {@code GET /v1/messages/<id>} said
 * @param logFindings per log file, the warnings and errors written during the phase
 */
public record PhaseResult(
        int index,
        Fault fault,
        String target,
        long started,
        long faultStart,
        long faultEnd,
        long ended,
        Tally tally,
        int suspendedAccepted,
        int suspendedPushed,
        List<String> lostStatus,
        Map<String, List<String>> logFindings) {

    /** The promise of issue 12: nothing lost, and new messages flowing live within 10 s after the fault ended. */
    public static final double RECOVERY_LIMIT_SECONDS = 10;

    /** This result as phase {@code number} of a run that put several single-fault runs together. */
    public PhaseResult renumbered(int number) {
        return new PhaseResult(number, fault, target, started, faultStart, faultEnd, ended, tally, suspendedAccepted,
                suspendedPushed, lostStatus, logFindings);
    }

    public boolean passed() {
        return tally.lost() == 0 && tally.recoverySeconds() != null && tally.recoverySeconds() <= RECOVERY_LIMIT_SECONDS;
    }
}
