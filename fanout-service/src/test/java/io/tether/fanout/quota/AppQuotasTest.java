package io.tether.fanout.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AppQuotasTest {
    private static final long DAY = 86_400_000L;

    @Test
    void aDailyQuotaRefillsAtUtcMidnight() {
        long midnight = 20_000 * DAY;
        assertEquals(86_400, AppQuotas.secondsToMidnight(midnight));
        assertEquals(1, AppQuotas.secondsToMidnight(midnight + DAY - 1));
        assertEquals(3_600, AppQuotas.secondsToMidnight(midnight + DAY - 3_600_000));
        assertEquals(3_601, AppQuotas.secondsToMidnight(midnight + DAY - 3_600_001), "rounded up: never too early");
    }
}
