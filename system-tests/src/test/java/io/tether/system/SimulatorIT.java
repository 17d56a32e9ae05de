package io.tether.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.sim.SimMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * bin/tether-sim against the whole system, two gateways: every lifecycle case of the README (foreground, background
 * signal, suspended and deaf, defunct with and without a FIN, reconnect elsewhere, token invalidated) ends as the README
 * says, judged by the simulator from what its devices received and what {@code GET /v1/messages/<id>} reports.
 */
class SimulatorIT {

    @Test
    void everyLifecycleCaseEndsAsDescribed() {
        TetherStack stack = TetherStack.shared();
        TetherStack.Gateway other = stack.startGateway("gw-sim", Map.of());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            int code = SimMain.run(new String[] {"cases",
                    "--registry", stack.registryUrl(), "--fanout", stack.fanoutUrl(),
                    "--mqtt", "mqtt://127.0.0.1:" + stack.gateway().mqttPort(),
                    "--mqtt-alt", "mqtt://127.0.0.1:" + other.mqttPort(),
                    "--api-key", TetherStack.API_KEY, "--wait", "20"},
                    Map.of(), new PrintStream(printed, true, StandardCharsets.UTF_8));

            String output = printed.toString(StandardCharsets.UTF_8);
            System.out.println(output);
            assertEquals(0, code, output);
            assertTrue(output.contains("DISCONNECT from Tether: 0x8e SESSION_TAKEN_OVER"), "the lingering connection is taken over: " + output);
            assertTrue(output.contains("session present: yes"), output);
        } finally {
            other.process().close();
        }
    }
}
