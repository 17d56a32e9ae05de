package io.tether.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Certificates for TLS tests, made at test time with the JDK's keytool (nothing secret is committed): a
 * server certificate per host name, and a CA that signs device client certificates.
 */
public final class TestCertificates {
    public static final String PASSWORD = "changeit";

    private TestCertificates() {
    }

    /**
     * A key pair and its certificate.
     *
     * @param certPem  PEM certificate (the key's own, without the CA's)
     * @param keyPem   PEM PKCS#8 private key
     * @param keyStore PKCS#12 store holding both under alias {@code alias}, password {@link #PASSWORD}
     */
    public record Issued(String alias, Path certPem, Path keyPem, Path keyStore) {
    }

    /** A self-signed server certificate for {@code hostName} (CN and DNS subject alternative name). */
    public static Issued server(Path dir, String hostName) {
        String alias = hostName.replaceAll("[^A-Za-z0-9]", "-");
        Path store = dir.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=" + hostName, "-ext", "SAN=dns:" + hostName, "-keystore", store.toString());
        return export(dir, alias, store);
    }

    /** A certificate authority (basic constraints CA:true). */
    public static Issued authority(Path dir, String name) {
        return authority(dir, name, name, 30);
    }

    /** A certificate authority named {@code commonName}, stored under {@code alias}, valid {@code days}. */
    public static Issued authority(Path dir, String alias, String commonName, int days) {
        Path store = dir.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", Integer.toString(days),
                "-dname", "CN=" + commonName, "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign", "-keystore", store.toString());
        return export(dir, alias, store);
    }

    /**
     * A TLS server certificate signed by {@code ca} for every name in {@code subjectAltNames} ({@code dns:host} or
     * {@code ip:address}), usable for server authentication only (what Apple platforms require of a TLS server
     * certificate, with at most 825 days of validity). Its store holds the chain; its PEM the leaf alone.
     */
    public static Issued serverSignedBy(Path dir, Issued ca, String alias, String commonName, List<String> subjectAltNames, int days) {
        Path store = dir.resolve(alias + ".p12");
        Path csr = dir.resolve(alias + ".csr");
        Path signed = dir.resolve(alias + "-signed.crt");
        String san = "SAN=" + String.join(",", subjectAltNames);
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", Integer.toString(days),
                "-dname", "CN=" + commonName, "-keystore", store.toString());
        keytool("-certreq", "-alias", alias, "-keystore", store.toString(), "-file", csr.toString());
        keytool("-gencert", "-alias", ca.alias(), "-keystore", ca.keyStore().toString(), "-infile", csr.toString(),
                "-outfile", signed.toString(), "-rfc", "-validity", Integer.toString(days), "-ext", san,
                "-ext", "eku=serverAuth", "-ext", "ku:c=digitalSignature,keyEncipherment");
        keytool("-importcert", "-noprompt", "-trustcacerts", "-alias", "ca", "-file", ca.certPem().toString(), "-keystore", store.toString());
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", signed.toString(), "-keystore", store.toString());
        return export(dir, alias, store);
    }

    /** A client certificate with subject CN {@code commonName}, signed by {@code ca}; its store holds the chain. */
    public static Issued client(Path dir, Issued ca, String commonName) {
        String alias = "client-" + commonName.replaceAll("[^A-Za-z0-9]", "-");
        Path store = dir.resolve(alias + ".p12");
        Path csr = dir.resolve(alias + ".csr");
        Path signed = dir.resolve(alias + "-signed.crt");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=" + commonName, "-keystore", store.toString());
        keytool("-certreq", "-alias", alias, "-keystore", store.toString(), "-file", csr.toString());
        keytool("-gencert", "-alias", ca.alias(), "-keystore", ca.keyStore().toString(), "-infile", csr.toString(),
                "-outfile", signed.toString(), "-rfc", "-validity", "30", "-ext", "eku=clientAuth");
        keytool("-importcert", "-noprompt", "-trustcacerts", "-alias", "ca", "-file", ca.certPem().toString(), "-keystore", store.toString());
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", signed.toString(), "-keystore", store.toString());
        return export(dir, alias, store);
    }

    private static Issued export(Path dir, String alias, Path store) {
        Path cert = dir.resolve(alias + ".crt");
        Path key = dir.resolve(alias + ".key");
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, PASSWORD.toCharArray());
            // What keytool -exportcert -rfc writes (the entry's own certificate), without starting another JVM.
            Files.writeString(cert, pem("CERTIFICATE", keyStore.getCertificate(alias).getEncoded()));
            Files.writeString(key, pem("PRIVATE KEY", keyStore.getKey(alias, PASSWORD.toCharArray()).getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return new Issued(alias, cert, key, store);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        if (List.of(args).contains("-genkeypair")) {
            command.addAll(List.of("-keypass", PASSWORD));
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
