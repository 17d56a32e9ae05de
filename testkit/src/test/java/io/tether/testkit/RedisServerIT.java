package io.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisServerIT {

    @TempDir
    Path dir;

    @Test
    void appendOnlyDataSurvivesARestartOnTheSamePort() throws Exception {
        try (RedisServer redis = RedisServer.start(dir, true)) {
            assertEquals("redis://127.0.0.1:" + redis.port(), redis.uri());
            assertEquals("OK", Resp.call(redis.port(), "SET", "presence:{d1}", "LIVE"));

            redis.restart();

            assertEquals("LIVE", Resp.call(redis.port(), "GET", "presence:{d1}"));
        }
    }

    @Test
    void aClosedServerIsGoneAndFreesItsPort() throws Exception {
        RedisServer redis = RedisServer.start(dir, false);

        redis.close();

        assertFalse(redis.isAlive());
        assertTrue(Ports.isFree(redis.port()));
    }
}
