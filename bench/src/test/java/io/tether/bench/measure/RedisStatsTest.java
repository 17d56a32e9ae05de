package io.tether.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisStatsTest {
    private static final String BEFORE = "# Commandstats\r\n"
            + "cmdstat_evalsha:calls=10,usec=300,usec_per_call=30.00,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_hset:calls=4,usec=8,usec_per_call=2.00,rejected_calls=0,failed_calls=0\r\n";
    private static final String AFTER = "# Commandstats\r\n"
            + "cmdstat_evalsha:calls=30,usec=900,usec_per_call=30.00,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_hset:calls=4,usec=8,usec_per_call=2.00,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_xadd:calls=5,usec=25,usec_per_call=5.00,rejected_calls=0,failed_calls=0\r\n";

    @Test
    void parsesCallsAndMicrosecondsPerCommand() {
        Map<String, RedisStats.Command> stats = RedisStats.parse(BEFORE);
        assertEquals(new RedisStats.Command(10, 300), stats.get("evalsha"));
        assertEquals(new RedisStats.Command(4, 8), stats.get("hset"));
    }

    @Test
    void deltaKeepsOnlyCommandsCalledInBetween() {
        Map<String, RedisStats.Command> delta = RedisStats.delta(RedisStats.parse(BEFORE), RedisStats.parse(AFTER));
        assertEquals(Map.of("evalsha", new RedisStats.Command(20, 600), "xadd", new RedisStats.Command(5, 25)), delta);
        assertEquals(30.0, delta.get("evalsha").usecPerCall());
    }

    @Test
    void datasetReadsTheKeysOfDatabaseZeroAndUsedMemory() {
        String info = "# Memory\r\nused_memory:94672808\r\nused_memory_human:90.29M\r\n\r\n# Keyspace\r\n"
                + "db0:keys=291029,expires=286000,avg_ttl=665054098\r\n";
        assertEquals(new RedisStats.Dataset(291029, 94672808), RedisStats.parseDataset(info));
        assertEquals(new RedisStats.Dataset(0, 1000), RedisStats.parseDataset("used_memory:1000\r\n# Keyspace\r\n"));
        assertEquals(new RedisStats.Dataset(5, -200), new RedisStats.Dataset(15, 800).minus(new RedisStats.Dataset(10, 1000)));
    }
}
