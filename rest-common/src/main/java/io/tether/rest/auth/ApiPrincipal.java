package io.tether.rest.auth;

import java.util.Objects;
import java.util.Set;

/**
 * The backend a request was authenticated as.
 *
 * @param keyId  names the key (never the key itself), for logs and audit
 * @param scopes what the key may do; {@link #ALL_SCOPES} grants everything, and so does {@link Scopes#ADMIN}
 * @param apps   the app ids the key is limited to; empty: every app. A limited key neither sees nor reaches devices
 *               of other apps (they answer 404, as if they did not exist)
 */
public record ApiPrincipal(String keyId, Set<String> scopes, Set<String> apps) {
    public static final String ALL_SCOPES = "*";

    public ApiPrincipal {
        Objects.requireNonNull(keyId, "keyId");
        scopes = Set.copyOf(scopes);
        apps = Set.copyOf(apps);
    }

    /** A key for every app. */
    public ApiPrincipal(String keyId, Set<String> scopes) {
        this(keyId, scopes, Set.of());
    }

    public boolean hasScope(String scope) {
        return scopes.contains(ALL_SCOPES) || scopes.contains(Scopes.ADMIN) || scopes.contains(scope);
    }

    /** True when the key holds at least one of {@code anyOf}. */
    public boolean hasAnyScope(String... anyOf) {
        for (String scope : anyOf) {
            if (hasScope(scope)) {
                return true;
            }
        }
        return false;
    }

    /** True when the key is limited to some apps. */
    public boolean isAppScoped() {
        return !apps.isEmpty();
    }

    /** Whether the key may see and reach devices of {@code appId} (false for null when the key is limited). */
    public boolean mayReach(String appId) {
        return apps.isEmpty() || (appId != null && apps.contains(appId));
    }
}
