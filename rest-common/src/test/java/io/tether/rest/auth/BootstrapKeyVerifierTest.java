package io.tether.rest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BootstrapKeyVerifierTest {

    @Test
    void acceptsTheConfiguredKeyWithEveryScope() {
        ApiKeyVerifier verifier = new BootstrapKeyVerifier(Optional.of("s3cret-key"));
        ApiPrincipal principal = verify(verifier, "s3cret-key").orElseThrow();
        assertEquals(BootstrapKeyVerifier.KEY_ID, principal.keyId());
        assertTrue(principal.hasScope("devices:write"));
    }

    @Test
    void rejectsOtherKeysPrefixesAndExtensions() {
        ApiKeyVerifier verifier = new BootstrapKeyVerifier(Optional.of("s3cret-key"));
        assertTrue(verify(verifier, "s3cret-kez").isEmpty());
        assertTrue(verify(verifier, "s3cret").isEmpty());
        assertTrue(verify(verifier, "s3cret-key2").isEmpty());
        assertTrue(verify(verifier, "").isEmpty());
    }

    @Test
    void acceptsNothingWhenNoKeyIsConfigured() {
        BootstrapKeyVerifier none = new BootstrapKeyVerifier(Optional.empty());
        BootstrapKeyVerifier blank = new BootstrapKeyVerifier(Optional.of("  "));
        assertFalse(none.isConfigured());
        assertFalse(blank.isConfigured());
        assertTrue(verify(none, "anything").isEmpty());
        assertTrue(verify(blank, "  ").isEmpty());
    }

    @Test
    void hashesAreHexSha256() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeyHash.sha256Hex("abc"));
    }

    private static Optional<ApiPrincipal> verify(ApiKeyVerifier verifier, String key) {
        return verifier.verify(key).toCompletableFuture().join();
    }
}
