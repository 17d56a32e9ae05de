package io.tether.bench.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AbStatsTest {
    @Test
    void pairsAlternateWhichSideGoesFirst() {
        assertEquals(List.of('A', 'B', 'B', 'A', 'A', 'B'), AbStats.order(3));
        assertEquals(List.of('A', 'B'), AbStats.order(1));
    }

    @Test
    void medianOfAnOddAndAnEvenNumberOfRunsIgnoringRunsWithoutTheMetric() {
        AbStats.Summary odd = AbStats.summary(List.of(5.0, 1.0, 3.0));
        assertEquals(3, odd.n());
        assertEquals(3.0, odd.median());
        assertEquals(1.0, odd.min());
        assertEquals(5.0, odd.max());

        AbStats.Summary even = AbStats.summary(List.of(4.0, Double.NaN, 1.0, 2.0, 10.0));
        assertEquals(4, even.n());
        assertEquals(3.0, even.median());
        assertEquals(9.0 / 3.0, even.spread(), 1e-9);
    }

    @Test
    void noValuesGiveNoMedianAndNoRatio() {
        AbStats.Summary none = AbStats.summary(List.of(Double.NaN));
        assertEquals(0, none.n());
        assertTrue(Double.isNaN(none.median()));
        assertTrue(Double.isNaN(AbStats.ratio(none, AbStats.summary(List.of(1.0)))));
    }

    @Test
    void ratioIsBsMedianOverAsAndApartMeansDisjointRanges() {
        AbStats.Summary a = AbStats.summary(List.of(1300.0, 1356.0, 1420.0));
        AbStats.Summary b = AbStats.summary(List.of(300.0, 320.0, 290.0));
        assertEquals(300.0 / 1356.0, AbStats.ratio(a, b), 1e-12);
        assertTrue(a.apartFrom(b));
        assertFalse(a.apartFrom(AbStats.summary(List.of(1400.0, 1500.0))));
    }

    @Test
    void chanceThatIdenticalBuildsComeOutApartShrinksWithMorePairs() {
        assertEquals(0.1, AbStats.chanceApart(3, 3), 1e-12);
        assertEquals(2.0 / 252, AbStats.chanceApart(5, 5), 1e-12);
        assertEquals(2.0 / 3, AbStats.chanceApart(1, 2), 1e-12);
    }

    @Test
    void oneRunHasNoSpreadAndIsNeverApart() {
        AbStats.Summary one = AbStats.summary(List.of(10.0));
        assertTrue(Double.isNaN(one.spread()));
        assertFalse(one.apartFrom(AbStats.summary(List.of(1.0, 2.0))));
    }
}
