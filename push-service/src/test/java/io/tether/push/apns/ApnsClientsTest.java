package io.tether.push.apns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.push.testing.TestKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which client serves which app; Pushy clients connect lazily, so none of this touches the network. */
class ApnsClientsTest {
    private static final ApnsConnection CONNECTION = new ApnsConnection(Optional.of("127.0.0.1"), Optional.of(1), Optional.empty(), 2,
            Duration.ofSeconds(1));

    @TempDir
    Path dir;

    @Test
    void appsOfOneSigningKeyShareOneClientPerEnvironment() {
        TestKeys.SigningKey key = TestKeys.signingKey(dir, "TEAM1", "KEY1");
        TestKeys.SigningKey other = TestKeys.signingKey(dir, "TEAM2", "KEY2");
        ApnsCredentials.SigningKey teamOne = new ApnsCredentials.SigningKey(key.file(), "TEAM1", "KEY1");
        try (ApnsClients clients = ApnsClients.create(List.of(
                new ApnsApp("a", "com.example.a", teamOne),
                new ApnsApp("b", "com.example.b", teamOne),
                new ApnsApp("c", "com.example.c", new ApnsCredentials.SigningKey(other.file(), "TEAM2", "KEY2"))), CONNECTION)) {
            assertEquals(4, clients.size(), "two keys × two environments");
            assertSame(client(clients, "com.example.a", ApnsEnvironment.PRODUCTION), client(clients, "com.example.b", ApnsEnvironment.PRODUCTION));
            assertSame(client(clients, "com.example.a", ApnsEnvironment.SANDBOX), client(clients, "com.example.b", ApnsEnvironment.SANDBOX));
            assertNotSame(client(clients, "com.example.a", ApnsEnvironment.PRODUCTION), client(clients, "com.example.a", ApnsEnvironment.SANDBOX));
            assertNotSame(client(clients, "com.example.a", ApnsEnvironment.PRODUCTION), client(clients, "com.example.c", ApnsEnvironment.PRODUCTION));
            assertTrue(clients.find("com.example.unknown", ApnsEnvironment.PRODUCTION).isEmpty());
            assertTrue(clients.find(null, ApnsEnvironment.PRODUCTION).isEmpty());
        }
    }

    /** The pom's netty-tcnative loads on the Linux the tests run on (Pushy's client uses it whenever it does). */
    @Test
    void nativeTlsLoadsOnThisMachine() {
        assertEquals("native BoringSSL", ApnsClients.tls());
    }

    @Test
    void noAppsMeansNoClients() {
        try (ApnsClients clients = ApnsClients.create(List.of(), CONNECTION)) {
            assertEquals(0, clients.size());
            assertTrue(clients.find("com.example.a", ApnsEnvironment.PRODUCTION).isEmpty());
        }
    }

    @Test
    void unreadableKeyIsAnErrorNamingTheApp() {
        ApnsApp app = new ApnsApp("chat", "com.example.chat", new ApnsCredentials.SigningKey(dir.resolve("missing.p8"), "T", "K"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ApnsClients.create(List.of(app), CONNECTION));
        assertTrue(e.getMessage().startsWith("app chat (com.example.chat): cannot set up signing key "), e.getMessage());
    }

    @Test
    void oneBundleIdForTwoAppsIsRefused() {
        TestKeys.SigningKey key = TestKeys.signingKey(dir, "TEAM1", "KEY1");
        ApnsCredentials.SigningKey credentials = new ApnsCredentials.SigningKey(key.file(), "TEAM1", "KEY1");
        assertThrows(IllegalStateException.class, () -> ApnsClients.create(List.of(
                new ApnsApp("a", "com.example.a", credentials), new ApnsApp("b", "com.example.a", credentials)), CONNECTION));
    }

    @Test
    void environmentOfADeviceDefaultsToProduction() {
        assertEquals(ApnsEnvironment.SANDBOX, ApnsEnvironment.ofDevice("sandbox"));
        assertEquals(ApnsEnvironment.PRODUCTION, ApnsEnvironment.ofDevice("production"));
        assertEquals(ApnsEnvironment.PRODUCTION, ApnsEnvironment.ofDevice(null));
    }

    private static Object client(ApnsClients clients, String bundleId, ApnsEnvironment environment) {
        return clients.find(bundleId, environment).orElseThrow();
    }
}
