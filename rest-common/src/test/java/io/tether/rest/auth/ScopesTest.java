package io.tether.rest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopesTest {

    @Test
    void adminAndTheBootstrapWildcardHoldEveryScope() {
        ApiPrincipal admin = new ApiPrincipal("a", Set.of(Scopes.ADMIN));
        ApiPrincipal all = new ApiPrincipal("b", Set.of(ApiPrincipal.ALL_SCOPES));
        for (String scope : Scopes.ALL) {
            assertTrue(admin.hasScope(scope), scope);
            assertTrue(all.hasScope(scope), scope);
        }
    }

    @Test
    void otherScopesHoldOnlyThemselves() {
        ApiPrincipal writer = new ApiPrincipal("w", Set.of(Scopes.DEVICES_WRITE));
        assertTrue(writer.hasScope(Scopes.DEVICES_WRITE));
        assertFalse(writer.hasScope(Scopes.DEVICES_READ));
        assertFalse(writer.hasScope(Scopes.ADMIN));
        assertTrue(writer.hasAnyScope(Scopes.DEVICES_READ, Scopes.DEVICES_WRITE));
        assertFalse(writer.hasAnyScope(Scopes.MESSAGES_SEND));
    }

    @Test
    void storedScopesAreParsedAndUnknownOnesDropped() {
        assertEquals(Set.of("devices:read", "messages:send"), StoredKeyVerifier.parseScopes("devices:read, messages:send,root"));
        assertEquals(Set.of(), StoredKeyVerifier.parseScopes(""));
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertEquals(1, ApiKeyFilter.retryAfterSeconds(Duration.ofMillis(10)));
        assertEquals(2, ApiKeyFilter.retryAfterSeconds(Duration.ofMillis(1001)));
        assertEquals(5, ApiKeyFilter.retryAfterSeconds(Duration.ofSeconds(5)));
    }
}
