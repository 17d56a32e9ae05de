package io.tether.rest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BearerTokenTest {

    @Test
    void readsTheTokenCaseInsensitivelyForTheScheme() {
        assertEquals(Optional.of("abc.DEF-123_~+/="), BearerToken.parse("Bearer abc.DEF-123_~+/="));
        assertEquals(Optional.of("k"), BearerToken.parse("bearer   k "));
    }

    @Test
    void rejectsOtherSchemesAndMalformedTokens() {
        assertTrue(BearerToken.parse(null).isEmpty());
        assertTrue(BearerToken.parse("").isEmpty());
        assertTrue(BearerToken.parse("Bearer").isEmpty());
        assertTrue(BearerToken.parse("Bearer ").isEmpty());
        assertTrue(BearerToken.parse("Basic dXNlcjpwYXNz").isEmpty());
        assertTrue(BearerToken.parse("Bearer two tokens").isEmpty());
        assertTrue(BearerToken.parse("Bearertoken").isEmpty());
    }
}
