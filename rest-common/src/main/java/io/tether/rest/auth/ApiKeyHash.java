package io.tether.rest.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of API keys: keys are compared and stored only as digests. */
public final class ApiKeyHash {
    private ApiKeyHash() {
    }

    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /**
     * Constant-time comparison of digests. Hashing first makes the time independent of where the
     * strings differ and of the secret's length.
     */
    public static boolean matches(byte[] expectedDigest, String presentedKey) {
        return MessageDigest.isEqual(expectedDigest, sha256(presentedKey));
    }
}
