package io.tether.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeapByOwnerTest {

    private static String owner(String cls) {
        return HeapByOwner.ownerOf(cls).key();
    }

    @Test
    void classesGoToTheirOwnerByNameAndStringsAndArraysToTheUnknownGroup() {
        assertEquals("netty", owner("io.netty.channel.DefaultChannelHandlerContext"));
        assertEquals("jdk_sockets", owner("sun.nio.ch.SocketChannelImpl"));
        assertEquals("jdk_sockets", owner("java.net.InetSocketAddress"));
        assertEquals("vertx", owner("io.vertx.mqtt.impl.MqttEndpointImpl"));
        assertEquals("tether", owner("io.tether.gateway.mqtt.DeviceSession$$Lambda/0x0000000801234"));
        assertEquals("unknown", owner("[B"));
        assertEquals("unknown", owner("java.lang.String"));
        assertEquals("unknown", owner("java.util.concurrent.ConcurrentHashMap$Node"));
    }

    @Test
    void growthPerConnectionAddsUpToTheTotalCountingClassesThatShrankOrAppeared() {
        Map<String, Long> before = Map.of("io.netty.A", 1_000L, "[B", 500L, "io.tether.Gone", 300L);
        Map<String, Long> after = Map.of("io.netty.A", 5_000L, "[B", 2_500L, "io.vertx.New", 1_000L, "io.tether.Gone", 100L);
        Map<String, Double> perConnection = new LinkedHashMap<>();
        HeapByOwner.growth(before, after, 10).forEach((owner, bytes) -> perConnection.put(owner.key(), bytes));
        assertEquals(List.of("netty", "jdk_sockets", "vertx", "tether", "micrometer", "unknown"), List.copyOf(perConnection.keySet()));
        assertEquals(400.0, perConnection.get("netty"));
        assertEquals(100.0, perConnection.get("vertx"));
        assertEquals(-20.0, perConnection.get("tether"));
        assertEquals(200.0, perConnection.get("unknown"));
        assertEquals(0.0, perConnection.get("micrometer"));
        assertEquals((5_000 + 2_500 + 1_000 + 100 - 1_000 - 500 - 300) / 10.0,
                perConnection.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    }
}
