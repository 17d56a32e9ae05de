package io.tether.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.awaitility.Awaitility.await;

import io.tether.sim.SimMain;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        TetherStack.Gateway other = stack.second();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
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
    }

    /** The README's {@code device} command: {@code send} prints the message's status and route as they change. */
    @Test
    void theDeviceCommandPrintsTheRouteOfWhatTheBackendSends() throws Exception {
        TetherStack stack = TetherStack.shared();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PipedOutputStream typed = new PipedOutputStream();
        PipedInputStream commands = new PipedInputStream(typed);
        CompletableFuture<Integer> session = CompletableFuture.supplyAsync(() -> SimMain.run(new String[] {"device",
                "--registry", stack.registryUrl(), "--fanout", stack.fanoutUrl(),
                "--mqtt", "mqtt://127.0.0.1:" + stack.gateway().mqttPort(),
                "--api-key", TetherStack.API_KEY, "--wait", "20"},
                Map.of(), commands, new PrintStream(printed, true, StandardCharsets.UTF_8)));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> printed.toString(StandardCharsets.UTF_8).contains("quit"));
            typed.write("send hello from the backend\n".getBytes(StandardCharsets.UTF_8));
            typed.flush();

            Pattern accepted = Pattern.compile("POST /v1/messages → (\\S+)");
            String messageId = await().atMost(Duration.ofSeconds(30)).until(() -> {
                Matcher m = accepted.matcher(printed.toString(StandardCharsets.UTF_8));
                return m.find() ? m.group(1) : null;
            }, id -> id != null);
            await().atMost(Duration.ofSeconds(30)).until(() -> printed.toString(StandardCharsets.UTF_8)
                    .contains(messageId + " delivered, route live"));
        } finally {
            System.out.println(printed.toString(StandardCharsets.UTF_8));
            try {
                typed.write("quit\n".getBytes(StandardCharsets.UTF_8));
                typed.close();
            } catch (java.io.IOException e) {
                // The command ended already (its reader is gone): the assertion below says how.
            }
        }
        assertEquals(0, session.get(30, TimeUnit.SECONDS), printed.toString(StandardCharsets.UTF_8));
    }
}
