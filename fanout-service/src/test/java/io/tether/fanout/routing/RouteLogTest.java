package io.tether.fanout.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tether.contract.MessageProperties;
import io.tether.contract.Target;
import io.tether.fanout.intake.OutgoingMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The route log holds a message as its downstream record would, and gives back the same message. */
class RouteLogTest {
    @Test
    void aMessageWithBinaryPayloadPushOptionsAndPropertiesComesBackAsItWent() {
        byte[] payload = {0, (byte) 0xff, 10, 13, '"'};
        OutgoingMessage message = new OutgoingMessage("m-1", Target.device("phone-1"), payload, "application/octet-stream",
                "alerts", 1_000, 61_000, "collapse", "{\"alert\":{\"title\":\"hi\"}}",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", new MessageProperties(
                List.of(new MessageProperties.UserProperty("k", "v"), new MessageProperties.UserProperty("k", "w")), "replies/1",
                new byte[] {1, 2, 3}));

        OutgoingMessage back = RouteLog.decode(RouteLog.encode(message));

        assertEquals(message.messageId(), back.messageId());
        assertEquals(message.target(), back.target());
        assertArrayEquals(payload, back.payload());
        assertEquals(message.contentType(), back.contentType());
        assertEquals(message.subtopic(), back.subtopic());
        assertEquals(message.acceptedAt(), back.acceptedAt());
        assertEquals(message.expiresAt(), back.expiresAt());
        assertEquals(message.collapseKey(), back.collapseKey());
        assertEquals(message.push(), back.push());
        assertEquals(message.traceparent(), back.traceparent());
        assertEquals(message.properties().user(), back.properties().user());
        assertEquals("replies/1", back.properties().responseTopic());
        assertArrayEquals(new byte[] {1, 2, 3}, back.properties().correlationData());
    }

    @Test
    void anEntryThatIsNotALoggedMessageIsRefusedAsIllegal() {
        assertThrows(IllegalArgumentException.class, () -> RouteLog.decode("not json"));
        assertThrows(IllegalArgumentException.class, () -> RouteLog.decode("{\"value\":\"aGk=\"}"));
        assertThrows(IllegalArgumentException.class, () -> RouteLog.decode("{\"value\":\"aGk=\",\"headers\":[]}"));
    }
}
