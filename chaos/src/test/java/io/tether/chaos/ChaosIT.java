package io.tether.chaos;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.chaos.report.ChaosReport;
import io.tether.chaos.report.ChaosResult;
import io.tether.chaos.report.PhaseResult;
import io.tether.testkit.TetherRoot;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The short chaos mode (fanout-service killed, a gateway killed, Redis frozen for 10 s, each under a steady stream
 * of messages to live and suspended devices): no fault loses a message answered 202, and new messages reach every
 * live device again within 10 s after each fault ended.
 */
class ChaosIT {

    @Test
    void noFaultLosesAnAcceptedMessageAndLiveDeliveryResumesWithinTenSeconds() throws Exception {
        Path target = Path.of(System.getProperty("user.dir"), "target");
        Options options = Options.parse(TetherRoot.path(), "--short",
                "--out", target.resolve("chaos-short").toString(), "--work", target.resolve("chaos-short-work").toString());

        ChaosResult result = new ChaosRun(options).run();
        ChaosReport.write(result, options.out(), "ChaosIT");

        String report = " (see " + options.out().resolve("report.md") + ")";
        assertEquals(options.plan().size(), result.phases().size());
        assertAll(result.phases().stream().map((Function<PhaseResult, Executable>) phase -> () -> {
            String name = phase.target() + " " + phase.fault().kind().description();
            assertTrue(phase.tally().accepted() > 0, name + ": no message was accepted" + report);
            assertEquals(0, phase.tally().lost(), name + ": messages answered 202 never reached their device" + report);
            assertNotNull(phase.tally().recoverySeconds(), name + ": live devices never got new messages again" + report);
            assertTrue(phase.tally().recoverySeconds() <= PhaseResult.RECOVERY_LIMIT_SECONDS,
                    name + ": new messages flowed live again only after " + phase.tally().recoverySeconds() + " s" + report);
        }));
    }
}
