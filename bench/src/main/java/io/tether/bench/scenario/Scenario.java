package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.Scale;
import io.tether.bench.report.ScenarioResult;
import java.util.List;

/** One benchmark scenario: runs the same load against Tether and (where it applies) a peer: mosquitto or raw Pushy. */
public interface Scenario {
    /** Every scenario, in the order a run measures them. */
    static List<Scenario> all() {
        return List.of(new UpstreamScenario(), new IdleConnectionsScenario(), new LiveDownstreamScenario(), new FallbackScenario(),
                new ReconnectStormScenario());
    }

    String id();

    String title();

    /** What it does, for the report. */
    String description();

    /** Its parameters at this scale, one line for the report ({@code cap}: connections one process may hold). */
    String parameters(Scale scale, int cap);

    /** Devices without a push token it uses, taken from the start of the registered pool. */
    int devices(Scale scale, int cap);

    /** Devices with a push token it uses. */
    default int pushDevices(Scale scale) {
        return 0;
    }

    /** Fills {@code result}; throws when it cannot measure (what it measured so far stays in the result). */
    void run(BenchContext context, ScenarioResult result) throws Exception;
}
