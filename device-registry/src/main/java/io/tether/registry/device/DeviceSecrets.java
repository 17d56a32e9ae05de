package io.tether.registry.device;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Device MQTT passwords: 256 random bits, handed out once, stored only as a digest. The gateway
 * checks a CONNECT password by {@link #hash(String)} of the UTF-8 password it received.
 */
public final class DeviceSecrets {
    private static final int PASSWORD_BYTES = 32;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random;

    /** Non-blocking NativePRNG on Linux (/dev/urandom): safe on the event loop. */
    public DeviceSecrets() {
        this(new SecureRandom());
    }

    public DeviceSecrets(SecureRandom random) {
        this.random = random;
    }

    /** 32 random bytes, base64url without padding: 43 characters. */
    public String newPassword() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        random.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    /** Hex SHA-256 of the UTF-8 password: what {@code DeviceFields.SECRET_HASH} holds. */
    public static String hash(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
