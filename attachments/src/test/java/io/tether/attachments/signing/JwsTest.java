package io.tether.attachments.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.attachments.FetchToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JwsTest {
    private static SigningKeys keys(Path dir, String... kids) {
        for (String kid : kids) {
            SigningKeys.generate(dir, kid);
        }
        return SigningKeys.load(dir, Optional.empty());
    }

    @Test
    void aTokenVerifiesUntilItExpires() throws Exception {
        Jws jws = new Jws(keys(Files.createTempDirectory("keys"), "k1"));
        String token = new FetchToken("device-1", 2_000).sign(jws);
        assertEquals("device-1", FetchToken.verify(jws, token, 1_000).deviceId());
        assertEquals(Jws.Failure.EXPIRED, assertThrows(Jws.Refused.class, () -> FetchToken.verify(jws, token, 2_000)).failure());
    }

    @Test
    void theGreatestKeyIdSignsAndOlderKeysStillVerifyAndArePublished() throws Exception {
        Path dir = Files.createTempDirectory("keys");
        Jws before = new Jws(keys(dir, "2026-11"));
        String old = new FetchToken("device-1", Long.MAX_VALUE).sign(before);
        Jws after = new Jws(keys(dir, "2026-12"));
        assertEquals("2026-12", after.keys().current().getKeyID());
        assertEquals("device-1", FetchToken.verify(after, old, 0).deviceId(), "signed before the rotation, still valid");
        assertTrue(after.keys().jwks().contains("\"2026-11\"") && after.keys().jwks().contains("\"2026-12\""));
        assertTrue(!after.keys().jwks().contains("\"d\""), "the JWKS holds no private part");
    }

    @Test
    void aTokenOfAnotherTypeOrKeyOrAlteredIsRefused() throws Exception {
        Jws jws = new Jws(keys(Files.createTempDirectory("keys"), "k1"));
        Jws stranger = new Jws(keys(Files.createTempDirectory("keys"), "k1"));
        String token = new FetchToken("device-1", Long.MAX_VALUE).sign(jws);
        assertEquals(Jws.Failure.BAD_SIGNATURE, assertThrows(Jws.Refused.class, () -> FetchToken.verify(stranger, token, 0)).failure());
        assertEquals(Jws.Failure.WRONG_TYPE, assertThrows(Jws.Refused.class,
                () -> io.tether.attachments.DownloadToken.verify(jws, token, 0)).failure());
        assertEquals(Jws.Failure.MALFORMED, assertThrows(Jws.Refused.class, () -> FetchToken.verify(jws, "not.a.jws", 0)).failure());
    }
}
