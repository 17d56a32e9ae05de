package io.tether.fanout.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.tether.contract.MessageId;
import io.tether.fanout.rest.SendMessageRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

    private static SendMessageRequest request(String payload) {
        return new SendMessageRequest(new SendMessageRequest.To("d1", null, null, null), TextNode.valueOf(payload), null, null, null,
                null, null, null);
    }

    private static String single(String apiKeyId, String key) {
        return IdempotencyKeys.messageId(apiKeyId, IdempotencyKeys.single(key));
    }

    private static String batch(String apiKeyId, String key, int index) {
        return IdempotencyKeys.messageId(apiKeyId, IdempotencyKeys.ofBatchMessage(key, index));
    }

    @Test
    void theMessageIdFollowsFromTheApiKeyAndTheIdempotencyKey() {
        String id = single("ak_1", "order-42");
        assertEquals(id, single("ak_1", "order-42"));
        assertNotEquals(id, single("ak_2", "order-42"), "two API keys never share an idempotency key");
        assertNotEquals(id, single("ak_1", "order-43"));
        assertTrue(MessageId.isValid(id) && id.startsWith("msg_"));
    }

    @Test
    void aBatchRetriedWithItsKeyLandsOnTheSameMessages() {
        for (int i = 0; i < 100; i++) {
            assertEquals(batch("ak_1", "order-42", i), batch("ak_1", "order-42", i));
        }
        assertNotEquals(batch("ak_1", "order-42", 0), batch("ak_2", "order-42", 0), "two API keys never share an idempotency key");
    }

    /** Ids the derivation gave before single keys shaped like a batch message's were set apart: retries still find them. */
    @Test
    void idsOfBatchMessagesAndOfOtherSingleKeysAreThoseOfEarlierVersions() {
        assertEquals("msg_41d4e26b44db865d0acfde742589289c", single("ak_1", "order-42"));
        assertEquals("msg_3b6218fe50a281117db20169bfc71fbd", batch("ak_1", "a", 0), "once 'a#0', as a batch message still is");
        assertEquals("msg_99a5ff9289ee24c65a418f1d71793826", batch("ak_1", "order-4711", 3));
    }

    @Test
    void aSingleSendWhoseKeyLooksLikeABatchMessagesIsAnotherMessage() {
        assertNotEquals(batch("ak_1", "a", 0), single("ak_1", "a#0"));
        assertNotEquals(batch("ak_1", "order-4711", 3), single("ak_1", "order-4711#3"));
        assertEquals(single("ak_1", "a#0"), single("ak_1", "a#0"), "and its own retries still land on it");
    }

    @Test
    void noTwoKeysOfSingleSendsAndBatchMessagesShareAMessage() {
        // Keys that contain '#', end in digits, or are what another key becomes in a batch.
        List<String> keys = List.of("a", "a#", "a#0", "a#1", "a#01", "a#1#0", "a#10", "a1", "#0", "#", "0", "a#0#0", "a##0");
        Map<String, String> seen = new HashMap<>();
        for (String key : keys) {
            assertUnique(seen, single("ak_1", key), "single " + key);
            for (int i = 0; i < 12; i++) {
                assertUnique(seen, batch("ak_1", key, i), "batch " + key + " message " + i);
            }
        }
    }

    private static void assertUnique(Map<String, String> seen, String id, String what) {
        String earlier = seen.putIfAbsent(id, what);
        assertNull(earlier, what + " has the message id of " + earlier);
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
