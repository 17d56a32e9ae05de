package io.tether.pushoptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.contract.Json;
import io.tether.contract.PushRequest;
import io.tether.contract.attachment.AttachmentDocument;
import io.tether.contract.attachment.AttachmentWire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a push carries for a message with an attachment, and the fetch token of a push that says fetch. */
class AttachmentNotificationTest {
    private static final String TOKEN = "ab".repeat(32);
    private static final String DESCRIPTOR = "eyJhbGciOiJFUzI1NiJ9.eyJ1cmwiOiJodHRwczovL3gifQ.c2ln"; // shape only: not checked here
    private static final long EXPIRES_AT = 1_900_000_000_123L;

    private static PushRequest request(String push, byte[] payload, String contentType) {
        return new PushRequest("dev1", "msg_1", 1_800_000_000_000L, EXPIRES_AT, null, push, payload, contentType, "offline", null);
    }

    private static byte[] document(JsonNode payload) {
        return Json.toBytes(new AttachmentDocument(DESCRIPTOR, payload, null, payload == null ? null : "application/json"));
    }

    private static JsonNode tether(NotificationFactory.Notification notification) throws IOException {
        return Json.MAPPER.readTree(notification.push().getPayload()).path("tether");
    }

    private static NotificationFactory.Notification build(NotificationFactory factory, PushRequest request) {
        return factory.build(request, PushOptions.parse(request.push()), TOKEN, "com.example.chat");
    }

    @Test
    void theDescriptorAndTheBackendsSmallPayloadTravelInThePush() throws Exception {
        JsonNode small = Json.MAPPER.readTree("{\"text\":\"a video from Bob\"}");
        NotificationFactory.Notification notification = build(new NotificationFactory(),
                request("{\"alert\":\"Bob\"}", document(small), AttachmentWire.DOCUMENT_CONTENT_TYPE));
        JsonNode tether = tether(notification);
        assertFalse(notification.fetchHint());
        assertEquals(DESCRIPTOR, tether.path(AttachmentWire.PUSH_ATTACHMENT).asText());
        assertEquals("a video from Bob", tether.path("data").path("text").asText());
    }

    @Test
    void aPayloadTooLargeLeavesTheDescriptorAlone() throws Exception {
        JsonNode large = Json.MAPPER.readTree("\"" + "x".repeat(5000) + "\"");
        NotificationFactory.Notification notification = build(new NotificationFactory(),
                request("{\"alert\":\"Bob\"}", document(large), AttachmentWire.DOCUMENT_CONTENT_TYPE));
        JsonNode tether = tether(notification);
        assertFalse(notification.fetchHint(), "the descriptor fits, so the app can start the download from the push");
        assertEquals(DESCRIPTOR, tether.path(AttachmentWire.PUSH_ATTACHMENT).asText());
        assertFalse(tether.has("data"));
    }

    @Test
    void aFetchHintCarriesAFetchTokenForTheDeviceUntilTheMessageExpires() throws Exception {
        long[] asked = new long[1];
        NotificationFactory factory = new NotificationFactory((deviceId, notAfter) -> {
            asked[0] = notAfter;
            return Optional.of("token-for-" + deviceId);
        });
        NotificationFactory.Notification notification = build(factory,
                request("{\"alert\":\"New\"}", "x".repeat(4100).getBytes(StandardCharsets.UTF_8), "text/plain"));
        assertTrue(notification.fetchHint());
        assertEquals("token-for-dev1", tether(notification).path(AttachmentWire.PUSH_FETCH_TOKEN).asText());
        assertEquals(EXPIRES_AT, asked[0]);
    }

    @Test
    void aFetchTokenThatWouldNotFitIsLeftOutNotTheNotification() throws Exception {
        // Options that leave room for the fetch hint but not for a token too: fanout accepted them without a token.
        String alert = "y".repeat(3950);
        NotificationFactory factory = new NotificationFactory((deviceId, notAfter) -> Optional.of("t".repeat(300)));
        NotificationFactory.Notification notification = build(factory,
                request("{\"alert\":\"" + alert + "\"}", "x".repeat(4100).getBytes(StandardCharsets.UTF_8), "text/plain"));
        assertTrue(notification.fetchHint());
        assertTrue(notification.payloadBytes() <= NotificationFactory.MAX_PAYLOAD_BYTES);
        assertFalse(tether(notification).has(AttachmentWire.PUSH_FETCH_TOKEN));
    }
}
