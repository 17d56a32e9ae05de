package io.tether.push.apns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApnsAppTest {
    private static final Path P8 = Path.of("/keys/AuthKey.p8");
    private static final Path P12 = Path.of("/keys/app.p12");

    @Test
    void signingKeyWithTeamAndKeyIdIsTokenAuth() {
        ApnsApp app = ApnsApp.of("chat", "com.example.chat", Optional.of("TEAM"), Optional.of("KEY"), Optional.of(P8),
                Optional.empty(), Optional.empty());
        assertEquals(new ApnsCredentials.SigningKey(P8, "TEAM", "KEY"), app.credentials());
    }

    @Test
    void certificateIsCertificateAuth() {
        ApnsApp app = ApnsApp.of("legacy", "com.example.legacy", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(P12), Optional.of("secret"));
        assertEquals(new ApnsCredentials.Certificate(P12, "secret"), app.credentials());
    }

    @Test
    void neitherOrBothAreRefusedNamingTheApp() {
        IllegalStateException neither = assertThrows(IllegalStateException.class, () -> ApnsApp.of("chat", "b",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        assertEquals("tether.apns.apps.chat: set either signing-key (with team-id and key-id) or certificate", neither.getMessage());
        assertThrows(IllegalStateException.class, () -> ApnsApp.of("chat", "b", Optional.of("T"), Optional.of("K"),
                Optional.of(P8), Optional.of(P12), Optional.empty()));
    }

    @Test
    void signingKeyWithoutTeamOrKeyIdIsRefused() {
        assertThrows(IllegalStateException.class, () -> ApnsApp.of("chat", "b", Optional.empty(), Optional.of("K"),
                Optional.of(P8), Optional.empty(), Optional.empty()));
    }

    @Test
    void descriptionsNeverShowTheCertificatePassword() {
        ApnsApp app = ApnsApp.of("legacy", "com.example.legacy", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(P12), Optional.of("hunter2"));
        assertFalse(app.describe().contains("hunter2"));
        assertFalse(app.toString().contains("hunter2"));
    }
}
