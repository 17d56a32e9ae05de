package io.tether.attachments.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Tether's P-256 signing keys, by key id. One of them (the current one) signs; all of them verify and are published
 * in the JWKS, so descriptors and URLs signed before a rotation keep working until they expire.
 *
 * <p>On disk (a Kubernetes Secret mounted as a directory, or {@code TETHER_HOME/signing} locally) each key is a file
 * {@code <kid>.pem} holding a PKCS#8 {@code PRIVATE KEY} block and its {@code PUBLIC KEY} block, as
 * {@code openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 > k.pem; openssl pkey -in k.pem -pubout >> k.pem}
 * writes it. The current key is the one named by configuration, else the greatest key id (name keys by date).
 */
public final class SigningKeys {
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Map<String, ECKey> keys;
    private final ECKey current;

    private SigningKeys(Map<String, ECKey> keys, String currentKid) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no signing keys");
        }
        this.keys = Collections.unmodifiableMap(new TreeMap<>(keys));
        String kid = currentKid == null ? ((TreeMap<String, ECKey>) new TreeMap<>(keys)).lastKey() : currentKid;
        this.current = keys.get(kid);
        if (current == null) {
            throw new IllegalArgumentException("the current signing key " + kid + " is not among the keys " + keys.keySet());
        }
    }

    /** The keys given; {@code currentKid} null for the greatest key id. */
    public static SigningKeys of(List<ECKey> keys, String currentKid) {
        Map<String, ECKey> byKid = new TreeMap<>();
        for (ECKey key : keys) {
            if (!key.isPrivate() || key.getKeyID() == null || !Curve.P_256.equals(key.getCurve())) {
                throw new IllegalArgumentException("a signing key must be a private P-256 key with a key id");
            }
            byKid.put(key.getKeyID(), key);
        }
        return new SigningKeys(byKid, currentKid);
    }

    /** Every {@code <kid>.pem} in {@code dir}. */
    public static SigningKeys load(Path dir, Optional<String> currentKid) {
        List<ECKey> keys = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pem")).sorted().toList()) {
                String name = file.getFileName().toString();
                keys.add(fromPem(name.substring(0, name.length() - ".pem".length()), Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read signing keys in " + dir, e);
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("no <kid>.pem signing keys in " + dir);
        }
        return of(keys, currentKid.orElse(null));
    }

    /** A key from PEM text holding a PKCS#8 private key and its X.509 public key. */
    public static ECKey fromPem(String kid, String pem) {
        if (!KID.matcher(kid).matches()) {
            throw new IllegalArgumentException("key id " + kid + " must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        byte[] privateDer = null;
        byte[] publicDer = null;
        Matcher blocks = PEM.matcher(pem);
        while (blocks.find()) {
            byte[] der = Base64.getMimeDecoder().decode(blocks.group(2));
            switch (blocks.group(1)) {
                case "PRIVATE KEY" -> privateDer = der;
                case "PUBLIC KEY" -> publicDer = der;
                default -> throw new IllegalArgumentException("key " + kid + ": unexpected PEM block " + blocks.group(1)
                        + " (PKCS#8 PRIVATE KEY and PUBLIC KEY expected)");
            }
        }
        if (privateDer == null || publicDer == null) {
            throw new IllegalArgumentException("key " + kid + " needs a PRIVATE KEY and a PUBLIC KEY block");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            ECPrivateKey privateKey = (ECPrivateKey) factory.generatePrivate(new PKCS8EncodedKeySpec(privateDer));
            ECPublicKey publicKey = (ECPublicKey) factory.generatePublic(new X509EncodedKeySpec(publicDer));
            ECKey key = new ECKey.Builder(Curve.forECParameterSpec(publicKey.getParams()), publicKey).privateKey(privateKey)
                    .keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).build();
            if (!Curve.P_256.equals(key.getCurve())) {
                throw new IllegalArgumentException("key " + kid + " is not on P-256");
            }
            Jws.requireMatchingPair(key);
            return key;
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalArgumentException("key " + kid + " is not a valid P-256 key pair: " + e.getMessage(), e);
        }
    }

    /** As {@link #load}, after making a key {@code local-<date>} when {@code dir} holds none. */
    public static synchronized SigningKeys loadOrGenerate(Path dir, Optional<String> currentKid) {
        try (Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            if (files.noneMatch(f -> f.getFileName().toString().endsWith(".pem"))) {
                generate(dir, "local-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read signing keys in " + dir, e);
        }
        return load(dir, currentKid);
    }

    /**
     * Makes a new key {@code <kid>.pem} in {@code dir} (for the local run and tests; production keys come from a
     * Secret). The file is readable by its owner only. It appears whole or not at all, and a {@code <kid>.pem} that is
     * already there is kept: services started together on one directory all end up with the first one's key.
     */
    public static Path generate(Path dir, String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
            String pem = "-----BEGIN PRIVATE KEY-----\n" + base64.encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----\n"
                    + base64.encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
            fromPem(kid, pem);
            Files.createDirectories(dir);
            Path file = dir.resolve(kid + ".pem");
            Path draft = Files.createTempFile(dir, "." + kid + "-", ".draft"); // not *.pem: load() never reads it
            try {
                try {
                    Files.setPosixFilePermissions(draft, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // Windows: the directory's permissions apply.
                }
                Files.writeString(draft, pem, StandardCharsets.US_ASCII);
                Files.createLink(file, draft); // atomic, and fails when another process made the key first
            } catch (FileAlreadyExistsException madeMeanwhile) {
                // Kept: it is the key the services that started first already sign with.
            } finally {
                Files.deleteIfExists(draft);
            }
            return file;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a P-256 key", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a signing key to " + dir, e);
        }
    }

    /** The key that signs. */
    public ECKey current() {
        return current;
    }

    /** A key that may verify, by key id. */
    public Optional<ECKey> byKid(String kid) {
        return Optional.ofNullable(kid == null ? null : keys.get(kid));
    }

    public List<String> keyIds() {
        return List.copyOf(keys.keySet());
    }

    /** The public half of every key, as a JWKS document (RFC 7517). */
    public String jwks() {
        return new JWKSet(keys.values().stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList()).toString(true);
    }
}
