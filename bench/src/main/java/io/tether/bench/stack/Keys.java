package io.tether.bench.stack;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;

/** Keys made at run time: the mock APNs server's TLS identity (JDK keytool) and an APNs token signing key (.p8). */
public final class Keys {
    private Keys() {
    }

    public record TlsIdentity(X509Certificate certificate, PrivateKey key, Path pem) {
    }

    public record SigningKey(Path p8, String teamId, String keyId, ApnsVerificationKey verificationKey) {
    }

    public static SigningKey signingKey(Path dir, String teamId, String keyId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Files.createDirectories(dir);
            Path file = dir.resolve("AuthKey_" + keyId + ".p8");
            Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + mime(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
            return new SigningKey(file, teamId, keyId, new ApnsVerificationKey(keyId, teamId, (ECPublicKey) pair.getPublic()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an APNs signing key", e);
        }
    }

    /** A self-signed server certificate for localhost and 127.0.0.1. */
    public static TlsIdentity server(Path dir) {
        String password = "bench-apns";
        try {
            Files.createDirectories(dir);
            Path store = dir.resolve("apns-server.p12");
            Files.deleteIfExists(store);
            Process process = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-noprompt",
                    "-alias", "apns", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", password, "-keypass", password)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, password.toCharArray());
            }
            X509Certificate certificate = (X509Certificate) keyStore.getCertificate("apns");
            PrivateKey key = (PrivateKey) keyStore.getKey("apns", password.toCharArray());
            Path pem = dir.resolve("apns-server.pem");
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + mime(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
            return new TlsIdentity(certificate, key, pem);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the mock APNs certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String mime(byte[] bytes) {
        return Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(bytes);
    }
}
