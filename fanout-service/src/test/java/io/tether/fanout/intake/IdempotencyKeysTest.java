package io.tether.fanout.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.tether.contract.MessageId;
import io.tether.fanout.rest.SendMessageRequest;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

    private static SendMessageRequest request(String payload) {
        return new SendMessageRequest(new SendMessageRequest.To("d1", null, null, null), TextNode.valueOf(payload), null, null, null,
                null, null, null);
    }

    @Test
    void theMessageIdFollowsFromTheApiKeyAndTheIdempotencyKey() {
        String id = IdempotencyKeys.messageId("ak_1", "order-42");
        assertEquals(id, IdempotencyKeys.messageId("ak_1", "order-42"));
        assertNotEquals(id, IdempotencyKeys.messageId("ak_2", "order-42"), "two API keys never share an idempotency key");
        assertNotEquals(id, IdempotencyKeys.messageId("ak_1", "order-43"));
        assertTrue(MessageId.isValid(id) && id.startsWith("msg_"));
    }

    @Test
    void theSameBodyHasTheSameFingerprintAndAnyChangeAnother() {
        assertEquals(IdempotencyKeys.fingerprint(request("hi")), IdempotencyKeys.fingerprint(request("hi")));
        assertNotEquals(IdempotencyKeys.fingerprint(request("hi")), IdempotencyKeys.fingerprint(request("hi!")));
    }

    @Test
    void keysAreVisibleAsciiUpTo255Characters() {
        assertTrue(IdempotencyKeys.isValid("3f2a-order:42"));
        assertTrue(IdempotencyKeys.isValid("x".repeat(255)));
        assertFalse(IdempotencyKeys.isValid("x".repeat(256)));
        assertFalse(IdempotencyKeys.isValid("with space"));
        assertFalse(IdempotencyKeys.isValid(""));
        assertFalse(IdempotencyKeys.isValid(null));
    }
}
