package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.gateway.testing.FakeStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** MQTT passwords against the secret hash CONNECT read of the device (connect.lua; see GatewayStoreIT for the read). */
class DeviceAuthenticatorTest {
    private static final String ID = "dev-auth";
    private static final String PASSWORD = "s3cr3t-Ünïcode-password";
    /** As device-registry stores it: hex SHA-256 of the UTF-8 password, never the password. */
    private static final String HASH = DeviceAuthenticator.sha256Hex(PASSWORD);

    @Test
    void theRightPasswordWithTheDeviceIdAsUsernameIsAccepted() {
        assertTrue(DeviceAuthenticator.matches(ID, ID, PASSWORD, HASH));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void theUsernameMayBeLeftOut(String username) {
        assertTrue(DeviceAuthenticator.matches(ID, username, PASSWORD, HASH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong", "s3cr3t-Ünïcode-passwor", "s3cr3t-Ünïcode-password ", "S3CR3T-ÜNÏCODE-PASSWORD", ""})
    void anyOtherPasswordIsRefused(String password) {
        assertFalse(DeviceAuthenticator.matches(ID, ID, password, HASH));
    }

    @Test
    void aMissingPasswordIsRefused() {
        assertFalse(DeviceAuthenticator.matches(ID, ID, null, HASH));
        assertFalse(DeviceAuthenticator.matches(ID, null, null, HASH));
    }

    @Test
    void theRightPasswordUnderAnotherUsernameIsRefused() {
        assertFalse(DeviceAuthenticator.matches(ID, "dev-other", PASSWORD, HASH));
        assertFalse(DeviceAuthenticator.matches(ID, "DEV-AUTH", PASSWORD, HASH));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void aDeviceWithoutASecretHashIsRefusedWhateverItSends(String storedHash) {
        // revoked credentials, or a device that authenticates with a client certificate only
        assertFalse(DeviceAuthenticator.matches(ID, ID, PASSWORD, storedHash));
        assertFalse(DeviceAuthenticator.matches(ID, ID, "", storedHash));
    }

    @Test
    void theStoredHashItselfIsNotAPassword() {
        assertFalse(DeviceAuthenticator.matches(ID, ID, HASH, HASH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "dev+", "dev#", "{d:dev-auth}", "dev auth"})
    void clientIdsThatAreNoValidDeviceIdAreRefused(String clientId) {
        assertFalse(DeviceAuthenticator.matches(clientId, clientId, PASSWORD, HASH));
        assertFalse(DeviceAuthenticator.matches(clientId, null, PASSWORD, HASH));
    }

    @Test
    void aNullClientIdIsRefused() {
        assertFalse(DeviceAuthenticator.matches(null, null, PASSWORD, HASH));
    }

    @Test
    void theHashIsLowercaseHexSha256OfTheUtf8Password() {
        // the format device-registry writes (DeviceSecrets); a mismatch would refuse every device
        assertEquals("5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", DeviceAuthenticator.sha256Hex("password"));
    }

    @Test
    void aCachedPasswordLeavesMemoryOnceItsTtlIsOverWithoutAnotherCheck() {
        AtomicLong nanos = new AtomicLong();
        DeviceAuthenticator cached = new DeviceAuthenticator(new FakeStore().device(ID, HASH), Duration.ofSeconds(10), nanos::get);
        assertTrue(cached.authenticate(ID, ID, PASSWORD).toCompletableFuture().join());
        assertEquals(1, cached.cached());

        nanos.addAndGet(Duration.ofSeconds(11).toNanos());

        assertEquals(0, cached.cached(), "no check and no forget came, the entry went by time");
    }

    @Test
    void theCacheHoldsABoundedNumberOfDevices() {
        FakeStore store = new FakeStore();
        int devices = DeviceAuthenticator.MAX_CACHED + 100;
        for (int i = 0; i < devices; i++) {
            store.device("dev-" + i, HASH);
        }
        DeviceAuthenticator cached = new DeviceAuthenticator(store, Duration.ofMinutes(5));
        for (int i = 0; i < devices; i++) {
            assertTrue(cached.authenticate("dev-" + i, null, PASSWORD).toCompletableFuture().join());
        }

        assertEquals(DeviceAuthenticator.MAX_CACHED, cached.cached());
    }
}
