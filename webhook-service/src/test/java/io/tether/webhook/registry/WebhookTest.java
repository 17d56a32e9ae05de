package io.tether.webhook.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.contract.TetherEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookTest {
    private static final String STATUS = TetherEvent.MESSAGE_STATUS;
    private static final String PRESENCE = TetherEvent.DEVICE_PRESENCE;

    @Test
    void anAppsWebhookGetsItsDevicesEventsOfTheTypesItAskedFor() {
        Webhook app = new Webhook("wh_1", "http://x", "com.a", null, List.of(STATUS, PRESENCE), "whsec_x", 0);
        assertTrue(app.wants(STATUS, "com.a", "ak_other"));
        assertTrue(app.wants(PRESENCE, "com.a", null));
        assertFalse(app.wants(STATUS, "com.b", null));
        assertFalse(app.wants(PRESENCE, null, null), "a deleted device's app is unknown");
        Webhook statusOnly = new Webhook("wh_2", "http://x", "com.a", null, List.of(STATUS), "whsec_x", 0);
        assertFalse(statusOnly.wants(PRESENCE, "com.a", null));
    }

    @Test
    void aKeysWebhookGetsTheStatusOfTheMessagesThatKeySentAndNoPresence() {
        Webhook key = new Webhook("wh_3", "http://x", null, "ak_1", List.of(STATUS, PRESENCE), "whsec_x", 0);
        assertTrue(key.wants(STATUS, "com.a", "ak_1"));
        assertFalse(key.wants(STATUS, "com.a", "ak_2"));
        assertFalse(key.wants(STATUS, "com.a", null));
        assertFalse(key.wants(PRESENCE, "com.a", "ak_1"));
    }
}
