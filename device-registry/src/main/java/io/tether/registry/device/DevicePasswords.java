package io.tether.registry.device;

import io.tether.contract.DeviceId;
import io.tether.rest.auth.DeviceCredentialVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Checks a device's HTTP Basic credentials against its stored secret hash, as the gateway does for MQTT:
 * one SHA-256 (the secret is 256 random bits), compared in constant time. Revoked credentials and unknown
 * devices match nothing.
 */
public class DevicePasswords implements DeviceCredentialVerifier {
    private final DeviceStore store;

    public DevicePasswords(DeviceStore store) {
        this.store = store;
    }

    @Override
    public CompletionStage<Boolean> verify(String deviceId, String password) {
        if (!DeviceId.isValid(deviceId) || password == null) {
            return CompletableFuture.completedFuture(false);
        }
        byte[] presented = sha256(password);
        return store.secretHash(deviceId).thenApply(stored -> stored.map(hash -> matches(hash, presented)).orElse(false));
    }

    private static boolean matches(String storedHex, byte[] presented) {
        byte[] stored;
        try {
            stored = HexFormat.of().parseHex(storedHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(stored, presented);
    }

    private static byte[] sha256(String password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
