package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.report.ScenarioResult;

/** One benchmark scenario: runs the same load against Tether and (where it applies) mosquitto. */
public interface Scenario {
    String id();

    String title();

    /** Fills {@code result}; throws when it cannot measure (what it measured so far stays in the result). */
    void run(BenchContext context, ScenarioResult result) throws Exception;
}
