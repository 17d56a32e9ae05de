package io.tether.push.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * Self-signed TLS identities made at test time with the JDK's keytool (no keys in the repository): the mock
 * APNs server's, and APNs client certificates whose subject carries the bundle id as UID, like Apple's.
 */
public final class TestTls {
    private static final String ALIAS = "identity";

    private TestTls() {
    }

    /**
     * @param pem    the certificate in PEM, for whoever must trust it
     * @param pkcs12 certificate and key, protected by {@code password}
     */
    public record Identity(X509Certificate certificate, PrivateKey key, Path pem, Path pkcs12, String password) {
    }

    /** A server certificate for localhost and 127.0.0.1. */
    public static Identity server(Path dir) {
        return generate(dir, "apns-server", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
    }

    /** An APNs client certificate for one bundle id. */
    public static Identity client(Path dir, String bundleId) {
        return generate(dir, "apns-client-" + bundleId, "UID=" + bundleId + ", CN=Apple Push Services: " + bundleId, null);
    }

    private static Identity generate(Path dir, String name, String dname, String extension) {
        String password = "test-" + name;
        try {
            Files.createDirectories(dir);
            Path store = dir.resolve(name + ".p12");
            Files.deleteIfExists(store);
            List<String> command = new java.util.ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-noprompt",
                    "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", dname,
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password, "-keypass", password));
            if (extension != null) {
                command.addAll(List.of("-ext", extension));
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, password.toCharArray());
            }
            X509Certificate certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
            PrivateKey key = (PrivateKey) keyStore.getKey(ALIAS, password.toCharArray());
            Path pem = dir.resolve(name + ".pem");
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
            return new Identity(certificate, key, pem, store, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make TLS identity " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
