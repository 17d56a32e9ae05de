package io.tether.registry.apikey;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A stored backend API key, as listed: never the key itself.
 *
 * @param apps the app ids the key is limited to; empty: every app
 */
public record ApiKey(String id, String name, Set<String> scopes, Instant createdAt, Set<String> apps) {
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(createdAt, "createdAt");
        apps = Set.copyOf(apps);
    }

    public ApiKey(String id, String name, Set<String> scopes, Instant createdAt) {
        this(id, name, scopes, createdAt, Set.of());
    }
}
