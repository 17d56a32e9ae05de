package io.tether.rest.auth;

import java.util.Optional;
import java.util.regex.Pattern;

/** Reads {@code Authorization: Bearer <token>} (RFC 6750 §2.1). */
public final class BearerToken {
    private static final String SCHEME = "bearer";
    // b64token: what RFC 6750 allows in a bearer token
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private BearerToken() {
    }

    /** The token, or empty when the header is absent, of another scheme, or not a well-formed token. */
    public static Optional<String> parse(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase(SCHEME)) {
            return Optional.empty();
        }
        String token = value.substring(space + 1).strip();
        return TOKEN.matcher(token).matches() ? Optional.of(token) : Optional.empty();
    }
}
