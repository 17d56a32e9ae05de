package io.tether.rest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicCredentialsTest {

    private static String header(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void splitsAtTheFirstColonSoPasswordsMayHoldColons() {
        BasicCredentials credentials = BasicCredentials.parse(header("dev1:pa:ss")).orElseThrow();
        assertEquals("dev1", credentials.user());
        assertEquals("pa:ss", credentials.password());
        assertEquals("dev1", BasicCredentials.parse("basic  " + header("dev1:x").substring(6)).orElseThrow().user());
    }

    @Test
    void rejectsOtherSchemesBadBase64AndMissingColon() {
        assertTrue(BasicCredentials.parse(null).isEmpty());
        assertTrue(BasicCredentials.parse("Bearer abc").isEmpty());
        assertTrue(BasicCredentials.parse("Basic !!!").isEmpty());
        assertTrue(BasicCredentials.parse(header("no-colon")).isEmpty());
        assertTrue(BasicCredentials.parse("Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':', 'x'})).isEmpty());
        assertFalse(BasicCredentials.isBasic("Basic"));
    }

    @Test
    void neverPrintsThePassword() {
        assertFalse(BasicCredentials.parse(header("dev1:s3cret")).orElseThrow().toString().contains("s3cret"));
    }
}
