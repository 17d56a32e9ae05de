package io.tether.runtime.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RedisConnectionsTest {

    @Test
    void theSharedResourcesRecordNoCommandLatenciesThoughLatencyUtilsIsOnTheClasspath() {
        ClientResources resources = RedisConnections.resources(Duration.ofSeconds(1));
        try {
            assertFalse(resources.commandLatencyRecorder().isEnabled());
        } finally {
            resources.shutdown(0, 1, TimeUnit.SECONDS);
        }
    }
}
