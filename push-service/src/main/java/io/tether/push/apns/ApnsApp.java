package io.tether.push.apns;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An app this service pushes for.
 *
 * @param name     the configuration name, for messages
 * @param bundleId the APNs topic; devices name it as their appId
 */
public record ApnsApp(String name, String bundleId, ApnsCredentials credentials) {
    public ApnsApp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bundleId, "bundleId");
        Objects.requireNonNull(credentials, "credentials");
    }

    /**
     * An app as configured: token authentication (signing key, team id, key id) or certificate authentication.
     *
     * @throws IllegalStateException naming the app when it has neither or both, or lacks a part
     */
    public static ApnsApp of(String name, String bundleId, Optional<String> teamId, Optional<String> keyId,
            Optional<Path> signingKey, Optional<Path> certificate, Optional<String> certificatePassword) {
        String prefix = "tether.apns.apps." + name + ": ";
        if (bundleId == null || bundleId.isBlank()) {
            throw new IllegalStateException(prefix + "bundle-id is required");
        }
        if (signingKey.isPresent() == certificate.isPresent()) {
            throw new IllegalStateException(prefix + "set either signing-key (with team-id and key-id) or certificate");
        }
        if (certificate.isPresent()) {
            return new ApnsApp(name, bundleId, new ApnsCredentials.Certificate(certificate.get(), certificatePassword.orElse(null)));
        }
        if (teamId.isEmpty() || keyId.isEmpty()) {
            throw new IllegalStateException(prefix + "signing-key needs team-id and key-id");
        }
        return new ApnsApp(name, bundleId, new ApnsCredentials.SigningKey(signingKey.get(), teamId.get(), keyId.get()));
    }

    /** For logs: name, bundle id and kind of authentication; never a secret. */
    public String describe() {
        return name + " (" + bundleId + ", " + (credentials instanceof ApnsCredentials.SigningKey key
                ? "token auth, team " + key.teamId() + ", key " + key.keyId() : "certificate auth") + ")";
    }
}
