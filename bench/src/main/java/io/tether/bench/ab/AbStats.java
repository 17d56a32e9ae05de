package io.tether.bench.ab;

import java.util.ArrayList;
import java.util.List;

/** The arithmetic of an A/B comparison: the interleaved order of runs, and median, min and max of each side. */
final class AbStats {
    /** Median, min and max of the finite values, and how many there were; NaN when there were none. */
    record Summary(int n, double median, double min, double max) {
        /** (max − min) ÷ median, as a share: how far this side's runs spread; NaN with fewer than two runs. */
        double spread() {
            return n < 2 || median == 0 ? Double.NaN : (max - min) / Math.abs(median);
        }

        /**
         * Whether the two sides' ranges [min, max] are disjoint: every run of one side beat every run of the other. Needs
         * two runs on each side at least: one run has no range to speak of.
         */
        boolean apartFrom(Summary other) {
            return n > 1 && other.n > 1 && (max < other.min || other.max < min);
        }
    }

    private AbStats() {
    }

    /**
     * The sides of {@code pairs} pairs in run order, alternating which comes first: A B, B A, A B, … (A B B A A B …), so
     * that a drift of the machine over time weighs on both sides alike.
     */
    static List<Character> order(int pairs) {
        List<Character> out = new ArrayList<>(pairs * 2);
        for (int k = 0; k < pairs; k++) {
            out.add(k % 2 == 0 ? 'A' : 'B');
            out.add(k % 2 == 0 ? 'B' : 'A');
        }
        return out;
    }

    static Summary summary(List<Double> values) {
        List<Double> finite = values.stream().filter(v -> v != null && Double.isFinite(v)).sorted().toList();
        int n = finite.size();
        if (n == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double median = n % 2 == 1 ? finite.get(n / 2) : (finite.get(n / 2 - 1) + finite.get(n / 2)) / 2;
        return new Summary(n, median, finite.get(0), finite.get(n - 1));
    }

    /**
     * The chance that two identical builds come out "apart" in one metric anyway, with {@code a} and {@code b} runs: of the
     * C(a+b, a) equally likely orders of the runs' values, two put one side wholly below the other.
     */
    static double chanceApart(int a, int b) {
        double orders = 1;
        for (int i = 1; i <= a; i++) {
            orders = orders * (b + i) / i;
        }
        return 2 / orders;
    }

    /** B's median ÷ A's median; NaN when either is missing or A's is 0. */
    static double ratio(Summary a, Summary b) {
        return a.n() == 0 || b.n() == 0 || a.median() == 0 ? Double.NaN : b.median() / a.median();
    }
}
