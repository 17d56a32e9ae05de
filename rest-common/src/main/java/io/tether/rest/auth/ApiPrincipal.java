package io.tether.rest.auth;

import java.util.Objects;
import java.util.Set;

/**
 * The backend a request was authenticated as.
 *
 * @param keyId  names the key (never the key itself), for logs and audit
 * @param scopes what the key may do; {@link #ALL_SCOPES} grants everything, and so does {@link Scopes#ADMIN}
 */
public record ApiPrincipal(String keyId, Set<String> scopes) {
    public static final String ALL_SCOPES = "*";

    public ApiPrincipal {
        Objects.requireNonNull(keyId, "keyId");
        scopes = Set.copyOf(scopes);
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
}
