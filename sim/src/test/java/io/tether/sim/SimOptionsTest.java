package io.tether.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's command line: where Tether is by default (the local run) and what overrides it. */
class SimOptionsTest {

    @Test
    void withoutOptionsItTalksToTheLocalRunOnItsPorts() {
        SimOptions options = SimOptions.parse(new String[] {"cases", "foreground", "suspended"}, Map.of("TETHER_FANOUT_PORT", "18080"));

        assertEquals("cases", options.command());
        assertEquals(List.of("foreground", "suspended"), options.words());
        assertEquals("http://127.0.0.1:18080", options.fanout());
        assertEquals("http://127.0.0.1:8081", options.registry());
        assertEquals(new Endpoint("mqtt", "127.0.0.1", 1883, "/mqtt"), options.mqtt());
        assertEquals(options.mqtt(), options.mqttElsewhere());
    }

    @Test
    void optionsOverrideTheDefaultsInBothSpellings() {
        SimOptions options = SimOptions.parse(new String[] {"crowd", "--devices", "5000", "--mqtt=mqtts://tether.example.com",
                "--mqtt-alt", "wss://b.example.com/mqtt", "--deaf", "10"}, Map.of());

        assertEquals(5000, options.number("devices", 100));
        assertEquals(10, options.number("deaf", 0));
        assertEquals(new Endpoint("mqtts", "tether.example.com", 8883, "/mqtt"), options.mqtt());
        assertTrue(options.mqtt().tls());
        assertTrue(options.mqttElsewhere().webSocket() && options.mqttElsewhere().tls());
        assertThrows(IllegalArgumentException.class, () -> SimOptions.parse(new String[] {"x", "--devices", "many"}, Map.of())
                .number("devices", 1));
    }

    @Test
    void theApiKeyComesFromTheOptionTheEnvironmentOrTheLocalRunsFile(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("api-key"), "tk_from_file\n");

        assertEquals("tk_given", SimOptions.parse(new String[] {"cases", "--api-key", "tk_given"}, Map.of()).apiKey());
        assertEquals("tk_env", SimOptions.parse(new String[] {"cases"}, Map.of("TETHER_API_KEY", "tk_env")).apiKey());
        assertEquals("tk_from_file", SimOptions.parse(new String[] {"cases"}, Map.of("TETHER_HOME", home.toString())).apiKey());
        assertThrows(IllegalArgumentException.class,
                () -> SimOptions.parse(new String[] {"cases"}, Map.of("TETHER_HOME", home.resolve("none").toString())).apiKey());
    }

    @Test
    void anUnknownCaseOrSchemeIsAWrongCommandLine(@TempDir Path home) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("TETHER_API_KEY", "tk");

        assertEquals(2, SimMain.run(new String[] {"cases", "sleepwalking"}, env, new PrintStream(printed, true, StandardCharsets.UTF_8)));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("no case sleepwalking"));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("http://x:1"));
        assertFalse(Endpoint.parse("mqtt://h").tls());
    }
}
