package io.tether.push.apns;

import com.eatthepath.pushy.apns.PushType;
import io.tether.contract.PushApp;
import io.tether.pushoptions.NotificationFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An app this service pushes for.
 *
 * @param name         the configuration name, for messages
 * @param bundleId     the APNs topic; devices name it as their appId. {@link PushApp#ANY} stands for every bundle
 *                     id no other app names (a local or test APNs only)
 * @param environments the APNs environments its credentials may be used with
 * @param pushTypes    the push types it may send (Apple grants VoIP, Live Activities, … per app)
 * @param rateLimit    notifications per second to APNs for this app, the excess waiting in order; null: no limit
 */
public record ApnsApp(String name, String bundleId, ApnsCredentials credentials, Set<ApnsEnvironment> environments,
        Set<PushType> pushTypes, RateLimit rateLimit) {

    /** @param perSecond sustained rate; {@code burst} notifications may go at once after a quiet spell */
    public record RateLimit(double perSecond, int burst) {
        public RateLimit {
            if (perSecond <= 0 || burst < 1) {
                throw new IllegalArgumentException("rate-limit.per-second must be above 0 and rate-limit.burst at least 1");
            }
        }
    }

    public ApnsApp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bundleId, "bundleId");
        Objects.requireNonNull(credentials, "credentials");
        environments = environments.isEmpty() ? EnumSet.noneOf(ApnsEnvironment.class) : EnumSet.copyOf(environments);
        pushTypes = pushTypes.isEmpty() ? EnumSet.noneOf(PushType.class) : EnumSet.copyOf(pushTypes);
    }

    /** Both environments, every push type, no rate limit. */
    public ApnsApp(String name, String bundleId, ApnsCredentials credentials) {
        this(name, bundleId, credentials, EnumSet.allOf(ApnsEnvironment.class), EnumSet.allOf(PushType.class), null);
    }

    /**
     * An app as configured: token authentication (signing key, team id, key id) or certificate authentication.
     *
     * @throws IllegalStateException naming the app when it has neither or both, or lacks a part
     */
    public static ApnsApp of(String name, String bundleId, Optional<String> teamId, Optional<String> keyId,
            Optional<Path> signingKey, Optional<Path> certificate, Optional<String> certificatePassword) {
        return of(name, bundleId, teamId, keyId, signingKey, certificate, certificatePassword, Optional.empty(),
                Optional.empty(), null);
    }

    /**
     * @param environments production, sandbox; empty: both
     * @param pushTypes    apns-push-type values; empty: all
     */
    public static ApnsApp of(String name, String bundleId, Optional<String> teamId, Optional<String> keyId,
            Optional<Path> signingKey, Optional<Path> certificate, Optional<String> certificatePassword,
            Optional<List<String>> environments, Optional<List<String>> pushTypes, RateLimit rateLimit) {
        String prefix = "tether.apns.apps." + name + ": ";
        if (bundleId == null || bundleId.isBlank()) {
            throw new IllegalStateException(prefix + "bundle-id is required");
        }
        if (signingKey.isPresent() == certificate.isPresent()) {
            throw new IllegalStateException(prefix + "set either signing-key (with team-id and key-id) or certificate");
        }
        ApnsCredentials credentials;
        if (certificate.isPresent()) {
            credentials = new ApnsCredentials.Certificate(certificate.get(), certificatePassword.orElse(null));
        } else if (teamId.isEmpty() || keyId.isEmpty()) {
            throw new IllegalStateException(prefix + "signing-key needs team-id and key-id");
        } else {
            credentials = new ApnsCredentials.SigningKey(signingKey.get(), teamId.get(), keyId.get());
        }
        Set<ApnsEnvironment> envs = EnumSet.noneOf(ApnsEnvironment.class);
        for (String value : environments.orElse(List.of("production", "sandbox"))) {
            envs.add(Arrays.stream(ApnsEnvironment.values()).filter(e -> e.wire().equals(value.trim())).findFirst()
                    .orElseThrow(() -> new IllegalStateException(prefix + "environments: unknown " + value + " (production, sandbox)")));
        }
        Set<PushType> types = EnumSet.noneOf(PushType.class);
        if (pushTypes.isEmpty()) {
            types = EnumSet.allOf(PushType.class);
        } else {
            for (String value : pushTypes.get()) {
                try {
                    types.add(PushType.getFromHeaderValue(value.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(prefix + "push-types: unknown " + value, e);
                }
            }
        }
        return new ApnsApp(name, bundleId, credentials, envs, types, rateLimit);
    }

    public boolean isCatchAll() {
        return PushApp.ANY.equals(bundleId);
    }

    /** What the registry and fanout learn about it (never a secret). */
    public PushApp describeForCatalog() {
        List<PushType> types = pushTypes.stream().sorted().toList();
        return new PushApp(bundleId, name, credentials instanceof ApnsCredentials.SigningKey ? "token" : "certificate",
                environments.stream().sorted().map(ApnsEnvironment::wire).toList(),
                types.stream().map(PushType::getHeaderValue).toList(),
                types.stream().map(type -> NotificationFactory.topic(bundleId, type)).distinct().toList());
    }

    /** For logs: name, bundle id and kind of authentication; never a secret. */
    public String describe() {
        return name + " (" + bundleId + ", " + (credentials instanceof ApnsCredentials.SigningKey key
                ? "token auth, team " + key.teamId() + ", key " + key.keyId() : "certificate auth") + ")";
    }
}
