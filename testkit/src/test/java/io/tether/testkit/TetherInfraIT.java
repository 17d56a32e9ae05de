package io.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

class TetherInfraIT {

    @Test
    void theResourcePointsServicesAtTheOneSharedRedisAndKafka() throws Exception {
        Map<String, String> config = new TetherInfraResource().start();
        TetherInfra infra = TetherInfra.shared();

        assertSame(infra, TetherInfra.shared());
        assertEquals(infra.redis().uri(), config.get("tether.redis.uri"));
        assertEquals(infra.kafka().bootstrapServers(), config.get("tether.kafka.bootstrap-servers"));
        assertEquals("PONG", Resp.call(infra.redis().port(), "PING"));
        assertEquals("yes", ((List<?>) Resp.call(infra.redis().port(), "CONFIG", "GET", "appendonly")).get(1));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", config.get("tether.kafka.bootstrap-servers")))) {
            assertFalse(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty());
        }
    }
}
