package io.tether.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.bench.report.Chart;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.stack.Mosquitto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the small scale end to end (Tether and mosquitto as real processes) and checks that the benchmark still works:
 * every scenario produced numbers, and the report and its charts were written. No timing is asserted: the numbers of a
 * shared CI machine prove nothing.
 */
class BenchSmokeIT {

    @Test
    void smallScaleProducesEveryScenarioAndTheReport() throws Exception {
        assertTrue(Mosquitto.installed(), "the benchmark needs mosquitto: apt-get install -y mosquitto");
        Path target = Path.of(System.getProperty("user.dir"), "target", "bench-it");
        Path out = target.resolve("results");
        // C1 only (--jit c1): the services start and warm up sooner, and nothing here is a measurement.
        BenchRun.Outcome outcome = BenchRun.run(Options.parse("--scale", "small", "--jit", "c1", "--out", out.toString(),
                "--work", target.resolve("work").toString()));

        List<ScenarioResult> results = outcome.results();
        assertEquals(List.of("1", "2", "3", "4", "5"), results.stream().map(r -> r.id).toList());
        for (ScenarioResult r : results) {
            assertNull(r.error, "scenario " + r.id + " failed: " + r.error);
            assertFalse(r.numbers.isEmpty(), "scenario " + r.id + " produced no numbers");
            assertTrue(r.numbers.values().stream().anyMatch(v -> Double.isFinite(v) && v > 0),
                    "scenario " + r.id + " produced no positive number: " + r.numbers);
            assertFalse(r.headlines.isEmpty(), "scenario " + r.id + " has no headline");
            assertFalse(r.charts.isEmpty(), "scenario " + r.id + " has no chart");
        }

        Path report = out.resolve("report.md");
        assertTrue(Files.isRegularFile(report), "no " + report);
        String text = Files.readString(report);
        for (ScenarioResult r : results) {
            assertTrue(text.contains("## " + r.id + ". "), "report.md lacks the section of scenario " + r.id);
            for (Chart chart : r.charts) {
                Path png = out.resolve(chart.file());
                assertTrue(Files.isRegularFile(png) && Files.size(png) > 1000, "chart " + png + " missing or empty");
                assertTrue(text.contains("(" + chart.file() + ")"), "report.md does not show " + chart.file());
            }
        }
        assertTrue(text.contains("## idle. Idle CPU after the scenarios"), "report.md lacks the idle CPU section");
        assertTrue(Files.isRegularFile(out.resolve("results.json")), "no results.json");
        assertTrue(Files.readString(out.resolve("results.json")).contains("\"tether.idle_cpu_pct\""),
                "results.json lacks the idle CPU of Tether's processes");
        assertTrue(outcome.failed().isEmpty(), "failed scenarios: " + outcome.failed());
    }
}
