package io.tether.push.testing;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** APNs signing keys made at test time: a P-256 key in a .p8 file (as Apple hands them out) and its public half for the mock. */
public final class TestKeys {
    private TestKeys() {
    }

    public record SigningKey(Path file, String teamId, String keyId, ApnsVerificationKey verificationKey) {
    }

    public static SigningKey signingKey(Path dir, String teamId, String keyId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Path file = dir.resolve("AuthKey_" + keyId + ".p8");
            Files.createDirectories(dir);
            Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
            return new SigningKey(file, teamId, keyId, new ApnsVerificationKey(keyId, teamId, (ECPublicKey) pair.getPublic()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a signing key", e);
        }
    }
}
