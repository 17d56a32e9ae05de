package io.tether.webhook.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SignatureTest {

    /** The example of the Standard Webhooks specification (its reference libraries test the same values). */
    @Test
    void signsTheSpecificationsExampleAsTheSpecificationDoes() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                Signature.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                        "{\"test\": 2432232314}"));
    }

    @Test
    void anyChangeOfIdTimestampOrBodyChangesTheSignature() {
        String secret = Signature.newSecret(new SecureRandom());
        String base = Signature.sign(secret, "evt_1", 1000, "{}");
        assertNotEquals(base, Signature.sign(secret, "evt_2", 1000, "{}"));
        assertNotEquals(base, Signature.sign(secret, "evt_1", 1001, "{}"));
        assertNotEquals(base, Signature.sign(secret, "evt_1", 1000, "{ }"));
    }

    @Test
    void newSecretsAreWhsecAnd32RandomBytes() {
        String secret = Signature.newSecret(new SecureRandom());
        assertTrue(secret.startsWith("whsec_"));
        assertEquals(32, Base64.getDecoder().decode(secret.substring("whsec_".length())).length);
        assertNotEquals(secret, Signature.newSecret(new SecureRandom()));
    }
}
