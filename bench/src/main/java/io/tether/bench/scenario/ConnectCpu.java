package io.tether.bench.scenario;

import io.tether.bench.measure.CpuMeter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU per connect of a system's processes (Tether: all of them; mosquitto: its one), the load generator not counted;
 * {@code jitMicros}: of which their JIT compiler threads; {@code byProcess}: per process name, {CPU µs, of which JIT µs}
 * per connect.
 */
record ConnectCpu(double cpuMicros, double jitMicros, Map<String, double[]> byProcess) {
    static final ConnectCpu NONE = new ConnectCpu(Double.NaN, Double.NaN, Map.of());

    /** The CPU {@code use} of the system's processes over {@code connects} connects. */
    static ConnectCpu of(CpuMeter.Use use, long connects) {
        if (connects == 0) {
            return NONE;
        }
        List<String> names = List.copyOf(use.seconds().keySet());
        Map<String, double[]> byProcess = new LinkedHashMap<>();
        names.forEach(n -> byProcess.put(n, new double[] {use.of(n) / connects * 1e6, use.jitOf(List.of(n)) / connects * 1e6}));
        return new ConnectCpu(use.sum(names) / connects * 1e6, use.jitOf(names) / connects * 1e6, byProcess);
    }
}
