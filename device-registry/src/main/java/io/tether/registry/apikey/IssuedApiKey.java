package io.tether.registry.apikey;

/** A key just created, with the secret that exists only in this answer. */
public record IssuedApiKey(ApiKey apiKey, String secret) {
    @Override
    public String toString() {
        return "IssuedApiKey[id=" + apiKey.id() + ", secret=***]";
    }
}
