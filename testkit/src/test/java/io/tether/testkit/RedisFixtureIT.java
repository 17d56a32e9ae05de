package io.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.Test;

class RedisFixtureIT {

    @Test
    void clientResourcesHandedToTheClientAreShutDownWithIt() throws Exception {
        ClientResources resources = DefaultClientResources.create();
        RedisFixture fixture = new RedisFixture(uri -> RedisClient.create(resources, uri));
        fixture.beforeAll(null);
        try {
            assertEquals("PONG", fixture.connect().sync().ping());
        } finally {
            fixture.afterAll(null);
        }

        assertTrue(resources.eventExecutorGroup().isShuttingDown());
    }
}
