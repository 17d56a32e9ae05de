package io.tether.rest.auth;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Reads {@code Authorization: Basic <base64(user:password)>} (RFC 7617). */
public record BasicCredentials(String user, String password) {
    private static final String SCHEME = "basic";

    public static boolean isBasic(String authorization) {
        if (authorization == null) {
            return false;
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        return space > 0 && value.substring(0, space).equalsIgnoreCase(SCHEME);
    }

    /** Empty when the header is absent, of another scheme, not base64, not UTF-8, or has no colon. */
    public static Optional<BasicCredentials> parse(String authorization) {
        if (!isBasic(authorization)) {
            return Optional.empty();
        }
        String value = authorization.strip();
        String encoded = value.substring(value.indexOf(' ') + 1).strip();
        try {
            byte[] bytes = Base64.getDecoder().decode(encoded);
            String decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + ", password=***]";
    }
}
