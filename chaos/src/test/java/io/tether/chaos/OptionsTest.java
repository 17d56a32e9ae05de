package io.tether.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tether.chaos.stack.Component;
import io.tether.chaos.stack.Fault;
import io.tether.chaos.stack.FaultKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
    private static final Path ROOT = Path.of("/repo");

    @Test
    void shortModeRunsTheThreeFaultsMostLikelyToStrandMessages() {
        Options options = Options.parse(ROOT, "--short");
        assertEquals(Options.SHORT_PLAN, options.plan());
        assertEquals("short", options.mode());
    }

    @Test
    void longModeHitsEveryComponentWithBothFaultsAndSharesAMillionMessages() {
        Options options = Options.parse(ROOT, "--long");
        assertEquals(12, options.plan().size());
        assertEquals(1_000_000, options.totalMessages());
        long perPhase = 1_000_000 / 12;
        Fault kill = new Fault(Component.REDIS, FaultKind.KILL);
        assertEquals(perPhase / 300 - 10, options.observeFor(kill).toSeconds());
    }

    @Test
    void shortModeObservesUntilRecoveryPlusATailButLongModeAndFixedMessageCountsTheWholeWindow() {
        assertEquals(Duration.ofSeconds(3), Options.parse(ROOT, "--short").afterRecovery());
        assertNull(Options.parse(ROOT, "--long").afterRecovery());
        assertNull(Options.parse(ROOT, "--short", "--messages", "10000").afterRecovery());
    }

    @Test
    void onlyAndFaultsChooseComponentsAndKinds() {
        Options options = Options.parse(ROOT, "--only", "redis,gateway", "--faults", "stop");
        assertEquals(List.of(new Fault(Component.REDIS, FaultKind.STOP), new Fault(Component.GATEWAY, FaultKind.STOP)),
                options.plan());
    }

    @Test
    void unknownNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Options.parse(ROOT, "--only", "mosquitto"));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(ROOT, "--faults", "reboot"));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(ROOT, "--bogus"));
    }
}
