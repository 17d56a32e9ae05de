package io.tether.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {
    // A redis-server line from /proc/<pid>/stat: utime 700, stime 300, cutime 50 (a reaped AOF-rewrite child), cstime 20.
    private static final String REDIS = "4242 (redis-server) S 1 4242 4242 0 -1 4194560 1209 0 0 0 700 300 50 20 20 0 5 0 "
            + "123456 31502336 2048 18446744073709551615 1 1 0 0 0 0 0 4097 17610 0 0 0 17 1 0 0 0 0 0";

    @Test
    void aProcessCountsItsReapedChildrenAndAThreadDoesNot() {
        assertEquals(1_070, ProcessStats.cpuTicks(REDIS, true));
        assertEquals(1_000, ProcessStats.cpuTicks(REDIS, false));
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String odd = REDIS.replace("(redis-server)", "(a (b) c)");
        assertEquals(1_070, ProcessStats.cpuTicks(odd, true));
    }
}
