package io.tether.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.chaos.fuzz.FuzzReport;
import io.tether.chaos.fuzz.FuzzResult;
import io.tether.chaos.fuzz.FuzzRun;
import io.tether.testkit.TetherRoot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The short fuzz (10 s of damaged MQTT 3.1.1 and 5 packets, random bytes, huge remaining lengths, floods and
 * slow-loris connections against one gateway): the gateway does not crash, holds no fuzz connection afterwards, and
 * serves its good clients throughout.
 */
class MqttFuzzIT {

    @Test
    void gatewaySurvivesTheFuzzerLeaksNoConnectionAndKeepsServingGoodClients() throws Exception {
        Path target = Path.of(System.getProperty("user.dir"), "target");
        Options options = Options.parse(TetherRoot.path(), "--fuzz",
                "--out", target.resolve("fuzz-short").toString(), "--work", target.resolve("fuzz-short-work").toString());

        FuzzResult result = new FuzzRun(options).run();
        FuzzReport.write(result, options.out(), "MqttFuzzIT");

        String report = " (see " + options.out().resolve("report.md") + ")";
        assertTrue(result.counts().getOrDefault("packets", 0L) > 1000, "the fuzzer sent little" + report);
        assertTrue(result.alive(), "the gateway process died" + report);
        assertEquals(result.before().connections(), result.after().connections(), "device connections after the fuzz" + report);
        assertEquals(result.before().claimedDevices(), result.after().claimedDevices(), "devices the gateway claims in Redis" + report);
        assertTrue(result.after().fileDescriptors() <= result.before().fileDescriptors() + FuzzResult.FD_SLACK,
                "file descriptors: " + result.before().fileDescriptors() + " before, " + result.after().fileDescriptors() + " after" + report);
        assertEquals(0, result.goodFailed(), "good clients' publishes that got no PUBACK" + report);
        assertTrue(result.goodAcked() > 0, "good clients published nothing" + report);
        assertTrue(result.downstream().accepted() > 0, "no message to good clients was accepted" + report);
        assertEquals(0, result.downstream().lost(), "messages to good clients lost" + report);
    }
}
