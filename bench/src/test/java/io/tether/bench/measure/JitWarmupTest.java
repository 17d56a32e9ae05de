package io.tether.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JitWarmupTest {
    private static final long SECOND = 1_000_000_000L;
    private final JitWarmup rule = new JitWarmup(Duration.ofSeconds(20), 6, 0.1);

    @Test
    void goesOnForTheLeastTimeEvenWithAQuietJit() {
        assertTrue(rule.keepWarming(19 * SECOND, 0.0));
    }

    @Test
    void afterTheLeastTimeGoesOnOnlyWhileTheJitIsBusy() {
        assertTrue(rule.keepWarming(21 * SECOND, 0.3));
        assertFalse(rule.keepWarming(21 * SECOND, 0.05));
    }

    @Test
    void stopsAtTheLongestWarmUpWhateverTheJitDoes() {
        assertFalse(rule.keepWarming(120 * SECOND, 0.9));
        assertTrue(rule.keepWarming(119 * SECOND, 0.9));
    }

    @Test
    void crossesToAnotherJvmAsArguments() {
        String[] args = rule.toArgs();
        assertEquals(rule, JitWarmup.fromArgs(args[0], args[1], args[2]));
    }
}
