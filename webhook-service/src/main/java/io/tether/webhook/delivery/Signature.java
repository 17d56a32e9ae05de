package io.tether.webhook.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing (standardwebhooks.com): {@code webhook-signature: v1,<base64 HMAC-SHA256>} over
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, keyed with the base64 part of a {@code whsec_} secret.
 */
public final class Signature {
    public static final String SECRET_PREFIX = "whsec_";
    private static final int SECRET_BYTES = 32;

    private Signature() {
    }

    /** A new secret: {@code whsec_} and 32 random bytes in base64. */
    public static String newSecret(SecureRandom random) {
        byte[] key = new byte[SECRET_BYTES];
        random.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The {@code webhook-signature} header value. */
    public static String sign(String secret, String id, long timestampSeconds, String body) {
        String key = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }
}
