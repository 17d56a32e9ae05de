package io.tether.bench;

/**
 * Which system a scenario measures first. Whatever runs second finds a machine that has run longer (warmer caches,
 * more page cache, a hotter JIT in the load generator), so by default the order alternates: scenarios 1, 3 and 5 start
 * with Tether and 2 and 4 with the peer in run 0, the other way round in run 1, and so on (an A/B comparison numbers
 * its runs).
 *
 * @param policy   {@code alternate}, {@code tether} (always first) or {@code peer} (always first)
 * @param runIndex the run's number in a series (0 for a single run)
 */
public record RunOrder(String policy, int runIndex) {
    public RunOrder {
        if (!policy.equals("alternate") && !policy.equals("tether") && !policy.equals("peer")) {
            throw new IllegalArgumentException("--first is alternate, tether or peer, not " + policy);
        }
    }

    public boolean tetherFirst(String scenarioId) {
        return switch (policy) {
            case "tether" -> true;
            case "peer" -> false;
            default -> Math.floorMod(Integer.parseInt(scenarioId) + runIndex, 2) == 1;
        };
    }

    public String describe() {
        return switch (policy) {
            case "tether" -> "Tether first in every scenario (--first tether)";
            case "peer" -> "the peer first in every scenario (--first peer)";
            default -> "alternating: run " + runIndex + " measures Tether first in scenarios "
                    + (runIndex % 2 == 0 ? "1, 3, 5 and the peer first in 2, 4" : "2, 4 and the peer first in 1, 3, 5");
        };
    }
}
