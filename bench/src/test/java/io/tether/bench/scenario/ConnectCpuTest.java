package io.tether.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tether.bench.measure.CpuMeter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectCpuTest {

    @Test
    void cpuSecondsOfEveryProcessAreDividedByTheConnectsInMicroseconds() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("gateway-mqtt", 2.0);
        seconds.put("redis", 0.5);
        Map<String, Double> jit = Map.of("gateway-mqtt", 0.4, "redis", 0.0);
        CpuMeter.Use use = new CpuMeter.Use(seconds, jit, Map.of(), 10, 0.9);

        ConnectCpu cpu = ConnectCpu.of(use, 1000);

        assertEquals(2500, cpu.cpuMicros(), 1e-9);
        assertEquals(400, cpu.jitMicros(), 1e-9);
        assertArrayEquals(new double[] {2000, 400}, cpu.byProcess().get("gateway-mqtt"), 1e-9);
        assertArrayEquals(new double[] {500, 0}, cpu.byProcess().get("redis"), 1e-9);
    }

    @Test
    void noConnectsGiveNoFigure() {
        CpuMeter.Use use = new CpuMeter.Use(Map.of("mosquitto", 1.0), Map.of(), Map.of(), 1, 0.5);

        assertSame(ConnectCpu.NONE, ConnectCpu.of(use, 0));
        assertEquals(Double.NaN, ConnectCpu.NONE.cpuMicros());
    }
}
