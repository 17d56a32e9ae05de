package io.tether.chaos;

import io.tether.chaos.fuzz.FuzzReport;
import io.tether.chaos.fuzz.FuzzResult;
import io.tether.chaos.fuzz.FuzzRun;
import io.tether.chaos.report.ChaosReport;
import io.tether.chaos.report.ChaosResult;
import io.tether.testkit.TetherRoot;

/** {@code chaos/run}: the chaos suite or, with {@code --fuzz}, the MQTT fuzzer; writes a report and exits 1 on failure. */
public final class ChaosMain {
    private ChaosMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(TetherRoot.path(), args);
        } catch (IllegalArgumentException e) {
            System.err.println("chaos: " + e.getMessage());
            System.exit(2);
            return;
        }
        String command = System.getProperty("chaos.command", "chaos/run " + String.join(" ", args));
        boolean passed;
        try {
            if (options.fuzz()) {
                FuzzResult result = new FuzzRun(options).run();
                FuzzReport.write(result, options.out(), command);
                passed = result.passed();
            } else {
                ChaosResult result = ChaosRun.run(options);
                ChaosReport.write(result, options.out(), command);
                passed = result.passed();
            }
        } catch (Exception | Error e) {
            // Exit even so: threads of a half-started stack (the APNs mock's event loops) would keep the JVM alive.
            System.err.println("chaos: the run broke off:");
            e.printStackTrace();
            System.exit(3);
            return;
        }
        System.out.println("chaos: " + (passed ? "PASS" : "FAIL") + "; report in " + options.out().resolve("report.md"));
        System.exit(passed ? 0 : 1);
    }
}
