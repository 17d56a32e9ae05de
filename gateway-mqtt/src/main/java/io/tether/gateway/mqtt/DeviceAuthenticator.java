package io.tether.gateway.mqtt;

import io.tether.contract.DeviceId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Checks a device's credentials against what CONNECT just read of it ({@code connect.lua}): passwords are 256-bit random
 * secrets, so one SHA-256 is enough (no slow hash); a TLS client certificate whose CN is the device id also
 * authenticates it. Nothing is cached: every CONNECT reads the device, so a deleted or revoked device is refused at
 * once, on every gateway, however it authenticates.
 */
public final class DeviceAuthenticator {
    private DeviceAuthenticator() {
    }

    /**
     * True when {@code password} is the secret whose hash was just read ({@code storedHash}, empty when the device has
     * none).
     */
    public static boolean matches(String deviceId, String username, String password, String storedHash) {
        if (!DeviceId.isValid(deviceId) || password == null || storedHash == null || storedHash.isEmpty()
                || (username != null && !username.isEmpty() && !username.equals(deviceId))) {
            return false;
        }
        return equal(storedHash, sha256Hex(password));
    }

    /** The device id a verified TLS client certificate names (its subject CN), if any. */
    public static Optional<String> certificateDeviceId(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
                return Optional.empty();
            }
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
            return Optional.empty();
        } catch (SSLPeerUnverifiedException | InvalidNameException e) {
            return Optional.empty();
        }
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    static String sha256Hex(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
