package io.tether.registry.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tether.contract.Platform;
import org.junit.jupiter.api.Test;

class NewDeviceTest {
    private static final String TOKEN = "AB".repeat(32);

    @Test
    void aTokenWithoutEnvironmentIsForProduction() {
        assertEquals(PushEnvironment.PRODUCTION, new NewDevice(Platform.IOS, "app", null, TOKEN, null).pushEnvironment());
        assertEquals(PushEnvironment.SANDBOX,
                new NewDevice(Platform.IOS, "app", null, TOKEN, PushEnvironment.SANDBOX).pushEnvironment());
    }

    @Test
    void noTokenNoDefaultEnvironment() {
        assertNull(new NewDevice(Platform.TVOS, "app", null, null, null).pushEnvironment());
    }

    @Test
    void tokensAreKeptInLowercase() {
        assertEquals("ab".repeat(32), new NewDevice(Platform.IOS, "app", null, TOKEN, null).pushToken());
    }
}
