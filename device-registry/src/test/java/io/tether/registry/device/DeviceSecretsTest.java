package io.tether.registry.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeviceSecretsTest {

    @Test
    void passwordsAre43CharactersOfBase64UrlWithoutPadding() {
        DeviceSecrets secrets = new DeviceSecrets();
        String password = secrets.newPassword();
        assertEquals(43, password.length());
        assertTrue(password.matches("[A-Za-z0-9_-]{43}"), password);
        assertNotEquals(password, secrets.newPassword());
    }

    @Test
    void hashIsHexSha256OfTheUtf8Password() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", DeviceSecrets.hash("abc"));
    }
}
