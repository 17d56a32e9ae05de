package io.tether.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** MQTT 5 properties as Kafka headers (what backends read) and as JSON (what the inbox stores). */
class MessagePropertiesTest {
    private static final MessageProperties REQUEST = new MessageProperties(List.of(
            new MessageProperties.UserProperty("x-app-version", "4.2"),
            new MessageProperties.UserProperty("tag", "a"),
            new MessageProperties.UserProperty("tag", "b")),
            "devices/d1/responses/7", new byte[] {0, (byte) 0xff, 42});

    @Test
    void userPropertiesBecomePrefixedHeadersInOrderWithRepeatsAndCorrelationDataStaysRawBytes() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.MESSAGE_ID, "msg_1".getBytes(StandardCharsets.UTF_8));

        MessageProperties.writeTo(headers, REQUEST);

        assertEquals(List.of("tether-message-id", "mqtt-user-x-app-version", "mqtt-user-tag", "mqtt-user-tag", "mqtt-response-topic",
                "mqtt-correlation-data"), java.util.Arrays.stream(headers.toArray()).map(h -> h.key()).toList());
        assertArrayEquals(new byte[] {0, (byte) 0xff, 42}, headers.lastHeader(Headers.CORRELATION_DATA).value());
        assertEquals(REQUEST, MessageProperties.readFrom(headers));
    }

    @Test
    void headersWithoutThemReadAsNullAndNullWritesNothing() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.CONTENT_TYPE, "text/plain".getBytes(StandardCharsets.UTF_8));

        MessageProperties.writeTo(headers, null);

        assertNull(MessageProperties.readFrom(headers));
        assertEquals(1, headers.toArray().length);
        assertNull(MessageProperties.orNull(List.of(), null, null));
    }

    @Test
    void jsonRoundTripKeepsBytesAndOrder() {
        String json = Json.toString(REQUEST);

        MessageProperties back = Json.fromString(json, MessageProperties.class);

        assertEquals(REQUEST, back);
        assertFalse(json.contains("empty"), json);
    }
}
