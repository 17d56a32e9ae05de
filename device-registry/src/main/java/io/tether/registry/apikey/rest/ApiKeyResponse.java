package io.tether.registry.apikey.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tether.registry.apikey.ApiKey;
import io.tether.registry.apikey.IssuedApiKey;
import java.util.List;
import java.util.TreeSet;

/**
 * An API key as the API shows it. {@code key} is present only in the answer to the create request: the
 * registry keeps its SHA-256 alone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyResponse(String id, String name, List<String> scopes, String createdAt, String key, List<String> apps) {

    static ApiKeyResponse of(ApiKey apiKey) {
        return of(apiKey, null);
    }

    static ApiKeyResponse created(IssuedApiKey issued) {
        return of(issued.apiKey(), issued.secret());
    }

    private static ApiKeyResponse of(ApiKey apiKey, String key) {
        return new ApiKeyResponse(apiKey.id(), apiKey.name(), List.copyOf(new TreeSet<>(apiKey.scopes())),
                apiKey.createdAt().toString(), key, apiKey.apps().isEmpty() ? null : List.copyOf(new TreeSet<>(apiKey.apps())));
    }

    /** A list of keys. */
    public record Page(List<ApiKeyResponse> items) {
    }

    @Override
    public String toString() {
        return "ApiKeyResponse[id=" + id + ", name=" + name + ", scopes=" + scopes + ", key=" + (key == null ? "none" : "***") + "]";
    }
}
