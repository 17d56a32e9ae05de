package io.tether.rest.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApiPathsTest {

    @Test
    void protectsV1AndBelow() {
        assertTrue(ApiPaths.requiresApiKey("/v1/devices"));
        assertTrue(ApiPaths.requiresApiKey("/v1"));
        assertTrue(ApiPaths.requiresApiKey("v1/devices/x"));
        assertTrue(ApiPaths.requiresApiKey("//v1/devices"));
    }

    @Test
    void leavesOtherPathsOpen() {
        assertFalse(ApiPaths.requiresApiKey("/q/health/ready"));
        assertFalse(ApiPaths.requiresApiKey("/v10/devices"));
        assertFalse(ApiPaths.requiresApiKey("/v1x"));
        assertFalse(ApiPaths.requiresApiKey("/"));
        assertFalse(ApiPaths.requiresApiKey(null));
    }
}
