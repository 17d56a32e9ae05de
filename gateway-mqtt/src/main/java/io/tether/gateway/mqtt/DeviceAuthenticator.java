package io.tether.gateway.mqtt;

import io.tether.contract.DeviceId;
import io.tether.gateway.store.GatewayStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Checks a device's MQTT credentials against the registry's record. Passwords are 256-bit random secrets, so
 * a single SHA-256 is enough (no slow hash): this stays cheap in a reconnect storm.
 */
public final class DeviceAuthenticator {
    private final GatewayStore store;

    public DeviceAuthenticator(GatewayStore store) {
        this.store = store;
    }

    /** True when {@code password} is the device's secret. The username, when given, must be the device id. */
    public CompletionStage<Boolean> authenticate(String deviceId, String username, String password) {
        if (!DeviceId.isValid(deviceId) || password == null || (username != null && !username.isEmpty() && !username.equals(deviceId))) {
            return CompletableFuture.completedFuture(false);
        }
        byte[] presented = sha256Hex(password).getBytes(StandardCharsets.US_ASCII);
        return store.secretHash(deviceId).thenApply(stored -> stored
                .map(hash -> MessageDigest.isEqual(presented, hash.getBytes(StandardCharsets.US_ASCII)))
                .orElse(false));
    }

    static String sha256Hex(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
