package io.tether.contract;

/** Fields of a stored backend API key ({@link RedisKeys#apiKey(String)}). The key itself is never stored. */
public final class ApiKeyFields {
    /** The key's public id, as shown in the API and logs. */
    public static final String ID = "id";
    public static final String NAME = "name";
    /** Comma-separated scopes, e.g. {@code devices:read,devices:write}. */
    public static final String SCOPES = "scopes";
    /** Comma-separated app ids the key is limited to; absent or empty: every app. */
    public static final String APPS = "apps";
    /** Epoch millis. */
    public static final String CREATED_AT = "createdAt";

    private ApiKeyFields() {
    }
}
