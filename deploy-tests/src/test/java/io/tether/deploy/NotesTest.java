package io.tether.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The walkthrough Helm prints after an install (NOTES.txt) works with what the release has. */
class NotesTest {
    @Test
    void theWalkthroughRegistersADeviceOfTheFirstConfiguredApp() {
        // Production values configure chat (com.example.chat) and legacy: the registry takes their devices only.
        String notes = Rendering.chart().notes(Rendering.PRODUCTION, Map.of());
        assertTrue(notes.contains("\"appId\":\"com.example.chat\""), notes);
        assertFalse(notes.contains("com.example.app"), notes);
        assertFalse(notes.contains("No APNs app is configured"), notes);
    }

    @Test
    void withoutAnAppTheWalkthroughSaysOneIsNeededBeforeADeviceCanRegister() {
        String notes = Rendering.chart().notes(List.of(), Map.of());
        assertFalse(notes.contains("com.example.app"), "the registry would refuse that app id:\n" + notes);
        assertTrue(notes.contains("\"appId\":\"<your app's bundle id>\""), notes);
        assertTrue(notes.contains("the registry refuses every device (tether.registry.require-push-app)"), notes);
        assertFalse(notes.contains("wait in their inbox"), "no device can be registered to have an inbox:\n" + notes);
    }

    @Test
    void withTheRegistryTakingAnyAppTheExampleAppWorksAndMessagesWaitInTheInbox() {
        String notes = Rendering.chart().notes(List.of(), Map.of("deviceRegistry.config.tether\\.registry\\.require-push-app", false));
        assertTrue(notes.contains("\"appId\":\"com.example.app\""), notes);
        assertTrue(notes.contains("wait in their inbox"), notes);
    }
}
