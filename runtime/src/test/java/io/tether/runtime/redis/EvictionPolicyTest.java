package io.tether.runtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvictionPolicyTest {
    @Test
    void noevictionNeedsNoWarning() {
        assertEquals(Optional.empty(), EvictionPolicy.warning("# Memory\r\nmaxmemory:0\r\nmaxmemory_policy:noeviction\r\n"));
    }

    @Test
    void aPolicyThatEvictsKeysWithATtlIsWarnedAbout() {
        String warning = EvictionPolicy.warning("# Memory\r\nmaxmemory:1073741824\r\nmaxmemory_human:1.00G\r\n"
                + "maxmemory_policy:volatile-lru\r\n").orElseThrow();
        assertTrue(warning.contains("volatile-lru") && warning.contains("1073741824"), warning);
    }

    @Test
    void withoutAMemoryLimitRedisNeverEvicts() {
        assertEquals(Optional.empty(), EvictionPolicy.warning("maxmemory:0\r\nmaxmemory_policy:allkeys-lru\r\n"));
    }

    @Test
    void anAnswerWithoutThePolicyIsNotGuessedAt() {
        assertEquals(Optional.empty(), EvictionPolicy.warning("# Memory\r\nused_memory:1000\r\n"));
    }
}
