package io.tether.fanout.intake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tether.contract.Headers;
import io.tether.contract.KafkaHeaders;
import io.tether.contract.MessageProperties;
import io.tether.contract.Target;
import io.tether.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** {@link OutgoingMessage} through {@code tether.downstream} and back: payload untouched as the value, the rest in headers. */
class DownstreamCodecTest {

    private static OutgoingMessage full(Target target) {
        return new OutgoingMessage("msg_1", target, new byte[] {0, 1, 2, (byte) 0xff}, "application/octet-stream", "chat/42",
                1_000L, 61_000L, "chat-42", "{\"alert\":\"hi\"}", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                new MessageProperties(List.of(new MessageProperties.UserProperty("x-kind", "reply")), "devices/dev-1/replies",
                        new byte[] {1, 2, 3}));
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() {
        OutgoingMessage message = full(Target.device("dev-1"));

        OutgoingMessage back = DownstreamCodec.fromRecord(consumed(DownstreamCodec.toRecord(message)));

        assertSame(message, back);
    }

    @Test
    void aMessageWithoutOptionalFieldsSurvivesTheRoundTripWithoutTheirHeaders() {
        OutgoingMessage message = new OutgoingMessage("msg_2", new Target(null, List.of("a", "b"), null, null),
                "hi".getBytes(StandardCharsets.UTF_8), null, "messages", 5L, 10L, null, null, null);

        ProducerRecord<String, byte[]> record = DownstreamCodec.toRecord(message);

        for (String absent : new String[] {Headers.CONTENT_TYPE, Headers.COLLAPSE_KEY, Headers.PUSH, Headers.TRACEPARENT,
                Headers.RESPONSE_TOPIC, Headers.CORRELATION_DATA}) {
            assertNull(record.headers().lastHeader(absent), absent);
        }
        assertSame(message, DownstreamCodec.fromRecord(consumed(record)));
    }

    @Test
    void theRecordGoesToTheDownstreamTopicKeyedByItsTargetWithThePayloadUntouched() {
        OutgoingMessage message = full(Target.device("dev-1"));

        ProducerRecord<String, byte[]> record = DownstreamCodec.toRecord(message);

        assertEquals(Topics.DOWNSTREAM, record.topic());
        assertEquals("dev-1", record.key());
        assertArrayEquals(message.payload(), record.value());
        assertEquals(Optional.of("msg_1"), KafkaHeaders.get(record.headers(), Headers.MESSAGE_ID));
        assertEquals(Optional.of("61000"), KafkaHeaders.get(record.headers(), Headers.EXPIRES_AT));
        assertEquals(Optional.of("{\"device\":\"dev-1\"}"), KafkaHeaders.get(record.headers(), Headers.TARGET));
        assertEquals("user:alice", DownstreamCodec.toRecord(full(new Target(null, null, "alice", null))).key());
    }

    @Test
    void aMessageExpandedForOneDeviceIsKeyedByThatDevice() {
        OutgoingMessage forUser = full(new Target(null, null, "alice", null));

        ProducerRecord<String, byte[]> record = DownstreamCodec.toRecord(forUser.forDevice("dev-9"));

        assertEquals("dev-9", record.key());
        assertEquals(Target.device("dev-9"), DownstreamCodec.fromRecord(consumed(record)).target());
    }

    @Test
    void aMissingSubtopicMeansMessagesAndAMissingValueAnEmptyPayload() {
        RecordHeaders headers = required();

        OutgoingMessage message = DownstreamCodec.fromRecord(consumed("dev-1", null, headers));

        assertEquals("messages", message.subtopic());
        assertArrayEquals(new byte[0], message.payload());
        assertNull(message.contentType());
    }

    @Test
    void aRecordWithoutARequiredHeaderIsRefused() {
        for (String header : new String[] {Headers.MESSAGE_ID, Headers.TARGET, Headers.ACCEPTED_AT, Headers.EXPIRES_AT}) {
            RecordHeaders headers = required();
            headers.remove(header);
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> DownstreamCodec.fromRecord(consumed("dev-1", new byte[0], headers)), header);
            assertEquals("missing header " + header, error.getMessage());
        }
    }

    @Test
    void aRecordWithAMalformedTimeOrTargetIsRefused() {
        RecordHeaders badTime = required();
        KafkaHeaders.put(badTime, Headers.EXPIRES_AT, "tomorrow");
        assertThrows(IllegalArgumentException.class, () -> DownstreamCodec.fromRecord(consumed("dev-1", new byte[0], badTime)));

        RecordHeaders badTarget = required();
        KafkaHeaders.put(badTarget, Headers.TARGET, "not json");
        assertThrows(IllegalArgumentException.class, () -> DownstreamCodec.fromRecord(consumed("dev-1", new byte[0], badTarget)));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static RecordHeaders required() {
        RecordHeaders headers = new RecordHeaders();
        KafkaHeaders.put(headers, Headers.MESSAGE_ID, "msg_3");
        KafkaHeaders.put(headers, Headers.TARGET, "{\"device\":\"dev-1\"}");
        KafkaHeaders.put(headers, Headers.ACCEPTED_AT, "1");
        KafkaHeaders.put(headers, Headers.EXPIRES_AT, "2");
        return headers;
    }

    private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> sent) {
        return consumed(sent.key(), sent.value(), sent.headers());
    }

    private static ConsumerRecord<String, byte[]> consumed(String key, byte[] value, org.apache.kafka.common.header.Headers headers) {
        return new ConsumerRecord<>(Topics.DOWNSTREAM, 0, 0L, 0L, TimestampType.CREATE_TIME, -1, -1, key, value, headers,
                Optional.empty());
    }

    /** Records compare byte arrays by identity, so compare field by field. */
    private static void assertSame(OutgoingMessage expected, OutgoingMessage actual) {
        assertEquals(expected.messageId(), actual.messageId());
        assertEquals(expected.target(), actual.target());
        assertArrayEquals(expected.payload(), actual.payload());
        assertEquals(expected.contentType(), actual.contentType());
        assertEquals(expected.subtopic(), actual.subtopic());
        assertEquals(expected.acceptedAt(), actual.acceptedAt());
        assertEquals(expected.expiresAt(), actual.expiresAt());
        assertEquals(expected.collapseKey(), actual.collapseKey());
        assertEquals(expected.push(), actual.push());
        assertEquals(expected.traceparent(), actual.traceparent());
        assertEquals(expected.properties(), actual.properties());
    }
}
