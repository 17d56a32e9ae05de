package io.tether.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeapByOwnerTest {

    @Test
    void classesGoToTheirOwnerByNameAndStringsAndArraysToTheUnknownGroup() {
        assertEquals("Netty (io.netty)", HeapByOwner.ownerOf("io.netty.channel.DefaultChannelHandlerContext"));
        assertEquals("JDK sockets (sun.nio.ch, java.net, java.io)", HeapByOwner.ownerOf("sun.nio.ch.SocketChannelImpl"));
        assertEquals("JDK sockets (sun.nio.ch, java.net, java.io)", HeapByOwner.ownerOf("java.net.InetSocketAddress"));
        assertEquals("Vert.x and Vert.x MQTT (io.vertx)", HeapByOwner.ownerOf("io.vertx.mqtt.impl.MqttEndpointImpl"));
        assertEquals("Tether (io.tether)", HeapByOwner.ownerOf("io.tether.gateway.mqtt.DeviceSession$$Lambda/0x0000000801234"));
        assertEquals(HeapByOwner.UNKNOWN, HeapByOwner.ownerOf("[B"));
        assertEquals(HeapByOwner.UNKNOWN, HeapByOwner.ownerOf("java.lang.String"));
        assertEquals(HeapByOwner.UNKNOWN, HeapByOwner.ownerOf("java.util.concurrent.ConcurrentHashMap$Node"));
    }

    @Test
    void growthPerConnectionAddsUpToTheTotalCountingClassesThatShrankOrAppeared() {
        Map<String, Long> before = Map.of("io.netty.A", 1_000L, "[B", 500L, "io.tether.Gone", 300L);
        Map<String, Long> after = Map.of("io.netty.A", 5_000L, "[B", 2_500L, "io.vertx.New", 1_000L, "io.tether.Gone", 100L);
        Map<String, Double> perConnection = HeapByOwner.growth(before, after, 10);
        assertEquals(List.of("Netty (io.netty)", "JDK sockets (sun.nio.ch, java.net, java.io)", "Vert.x and Vert.x MQTT (io.vertx)",
                "Tether (io.tether)", "Micrometer (io.micrometer)", HeapByOwner.UNKNOWN), List.copyOf(perConnection.keySet()));
        assertEquals(400.0, perConnection.get("Netty (io.netty)"));
        assertEquals(100.0, perConnection.get("Vert.x and Vert.x MQTT (io.vertx)"));
        assertEquals(-20.0, perConnection.get("Tether (io.tether)"));
        assertEquals(200.0, perConnection.get(HeapByOwner.UNKNOWN));
        assertEquals(0.0, perConnection.get("Micrometer (io.micrometer)"));
        assertEquals((5_000 + 2_500 + 1_000 + 100 - 1_000 - 500 - 300) / 10.0,
                perConnection.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    }
}
