package io.tether.registry.apikey;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/** A stored backend API key, as listed: never the key itself. */
public record ApiKey(String id, String name, Set<String> scopes, Instant createdAt) {
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
