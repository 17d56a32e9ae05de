package io.tether.fanout.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tether.contract.Json;
import io.tether.contract.MessageId;
import io.tether.contract.MessageProperties;
import io.tether.contract.Target;
import io.tether.fanout.intake.OutgoingMessage;
import io.tether.fanout.rest.SendMessageRequest.To;
import io.tether.contract.problem.Problem;
import io.tether.rest.problem.ProblemException;
import io.tether.contract.problem.ProblemType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@code POST /v1/messages} accepts, what it refuses and with which fields, without Quarkus. */
class MessageRequestsTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final int MAX_PAYLOAD = 64;
    private static final MessageRequests REQUESTS = new MessageRequests(Duration.ofDays(1), Duration.ofDays(28), MAX_PAYLOAD);
    private static final To DEVICE = new To("dev-1", null, null, null);
    private static final JsonNode TEXT = JsonNodeFactory.instance.textNode("hello");

    // ---- accepted messages ----------------------------------------------------------------------------------

    @Test
    void aMinimalTextMessageGetsAnIdTheDefaultSubtopicAndTheDefaultTtl() {
        OutgoingMessage message = REQUESTS.toMessage(request(DEVICE, TEXT, null, null, null, null, null, null), null, NOW);

        assertTrue(MessageId.isValid(message.messageId()), message.messageId());
        assertTrue(message.messageId().startsWith("msg_"));
        assertEquals(Target.device("dev-1"), message.target());
        assertEquals("messages", message.subtopic());
        assertEquals("devices/dev-1/messages", message.mqttTopic("dev-1"));
        assertEquals(NOW, message.acceptedAt());
        assertEquals(NOW + Duration.ofDays(1).toMillis(), message.expiresAt());
        assertNull(message.collapseKey());
        assertNull(message.push());
        assertNull(message.traceparent());
    }

    @Test
    void everyMessageGetsADifferentId() {
        SendMessageRequest request = request(DEVICE, TEXT, null, null, null, null, null, null);

        assertNotEquals(REQUESTS.toMessage(request, null, NOW).messageId(), REQUESTS.toMessage(request, null, NOW).messageId());
    }

    @Test
    void theOptionalFieldsAndTheTraceContextAreCarriedOver() {
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        JsonNode push = json("{\"alert\":{\"title\":\"Hi\"},\"badge\":3}");

        OutgoingMessage message = REQUESTS.toMessage(request(DEVICE, TEXT, null, "text/markdown", "chat/42", 60L, "chat-42", push),
                traceparent, NOW);

        assertEquals("text/markdown", message.contentType());
        assertEquals("chat/42", message.subtopic());
        assertEquals("devices/dev-1/chat/42", message.mqttTopic("dev-1"));
        assertEquals(NOW + 60_000, message.expiresAt());
        assertEquals("chat-42", message.collapseKey());
        assertEquals(push, json(message.push()));
        assertEquals(traceparent, message.traceparent());
    }

    @Test
    void aTargetListOrAUserIsCarriedOverAsGiven() {
        OutgoingMessage toList = REQUESTS.toMessage(request(new To(null, List.of("a", "b"), null, null), TEXT, null, null, null,
                null, null, null), null, NOW);
        OutgoingMessage toUser = REQUESTS.toMessage(request(new To(null, null, "alice@example.com", null), TEXT, null, null, null,
                null, null, null), null, NOW);

        assertEquals(new Target(null, List.of("a", "b"), null, null), toList.target());
        assertEquals(new Target(null, null, "alice@example.com", null), toUser.target());
    }

    @Test
    void aTtlOfOneSecondAndTheLongestTtlAreAccepted() {
        assertEquals(NOW + 1000, REQUESTS.toMessage(request(DEVICE, TEXT, null, null, null, 1L, null, null), null, NOW).expiresAt());
        long max = Duration.ofDays(28).toSeconds();
        assertEquals(NOW + max * 1000,
                REQUESTS.toMessage(request(DEVICE, TEXT, null, null, null, max, null, null), null, NOW).expiresAt());
    }

    @Test
    void theDefaultTtlIsTheConfiguredOne() {
        MessageRequests hourly = new MessageRequests(Duration.ofHours(1), Duration.ofDays(28), MAX_PAYLOAD);

        assertEquals(NOW + 3_600_000, hourly.toMessage(request(DEVICE, TEXT, null, null, null, null, null, null), null, NOW).expiresAt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"messages", "a", "chat/42", "a.b_c-d", "1/2/3/4/5/6/7/8"})
    void subtopicsOfUpToEightLevelsOfSafeCharactersAreAccepted(String subtopic) {
        assertEquals(subtopic, REQUESTS.toMessage(request(DEVICE, TEXT, null, null, subtopic, null, null, null), null, NOW).subtopic());
    }

    @ParameterizedTest
    @ValueSource(strings = {"聊-1", "café au lait", "chat 42"})
    void aCollapseKeyOfPrintableTextIsAcceptedAsGiven(String key) {
        assertEquals(key, REQUESTS.toMessage(request(DEVICE, TEXT, null, null, null, null, key, null), null, NOW).collapseKey());
    }

    @Test
    void aSixtyFourCharacterCollapseKeyIsAccepted() {
        String key = "k".repeat(64);

        assertEquals(key, REQUESTS.toMessage(request(DEVICE, TEXT, null, null, null, null, key, null), null, NOW).collapseKey());
    }

    // ---- payloads and content types -------------------------------------------------------------------------

    @Test
    void aStringPayloadIsSentAsUtf8Text() {
        OutgoingMessage message = REQUESTS.toMessage(request(DEVICE, JsonNodeFactory.instance.textNode("grüße {\"not\":\"json\"}"),
                null, null, null, null, null, null), null, NOW);

        assertArrayEquals("grüße {\"not\":\"json\"}".getBytes(StandardCharsets.UTF_8), message.payload());
        assertEquals("text/plain; charset=utf-8", message.contentType());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"battery\":87,\"tags\":[\"a\"]}", "[1,2,3]", "42", "true"})
    void anyOtherJsonPayloadIsSentAsCompactJson(String value) {
        OutgoingMessage message = REQUESTS.toMessage(request(DEVICE, json(value), null, null, null, null, null, null), null, NOW);

        assertEquals("application/json", message.contentType());
        assertEquals(json(value), json(new String(message.payload(), StandardCharsets.UTF_8)));
        assertEquals(value, new String(message.payload(), StandardCharsets.UTF_8));
    }

    @Test
    void aBase64PayloadIsSentAsItsBytes() {
        byte[] bytes = {0, 1, 2, (byte) 0xfe, (byte) 0xff};

        OutgoingMessage message = REQUESTS.toMessage(request(DEVICE, null, Base64.getEncoder().encodeToString(bytes), null, null, null,
                null, null), null, NOW);

        assertArrayEquals(bytes, message.payload());
        assertEquals("application/octet-stream", message.contentType());
    }

    @Test
    void aBase64PayloadNextToAJsonNullPayloadCountsAsTheOnlyPayload() {
        OutgoingMessage message = REQUESTS.toMessage(request(DEVICE, JsonNodeFactory.instance.nullNode(), "AAE=", null, null, null,
                null, null), null, NOW);

        assertArrayEquals(new byte[] {0, 1}, message.payload());
    }

    @Test
    void aGivenContentTypeWinsOverTheDerivedOne() {
        assertEquals("application/cbor", REQUESTS.toMessage(request(DEVICE, null, "AAE=", "application/cbor", null, null, null, null),
                null, NOW).contentType());
        assertEquals("application/vnd.example+json", REQUESTS.toMessage(request(DEVICE, json("{}"), null,
                "application/vnd.example+json", null, null, null, null), null, NOW).contentType());
    }

    @Test
    void anEmptyTextPayloadIsAnEmptyMessage() {
        assertArrayEquals(new byte[0], REQUESTS.toMessage(request(DEVICE, JsonNodeFactory.instance.textNode(""), null, null, null,
                null, null, null), null, NOW).payload());
    }

    // ---- the payload bound ----------------------------------------------------------------------------------

    @Test
    void aPayloadOfExactlyTheBoundIsAccepted() {
        assertEquals(MAX_PAYLOAD, REQUESTS.toMessage(request(DEVICE, JsonNodeFactory.instance.textNode("x".repeat(MAX_PAYLOAD)), null,
                null, null, null, null, null), null, NOW).payload().length);
    }

    @Test
    void aPayloadOverTheBoundIs413PayloadTooLarge() {
        ProblemException problem = assertThrows(ProblemException.class, () -> REQUESTS.toMessage(request(DEVICE,
                JsonNodeFactory.instance.textNode("x".repeat(MAX_PAYLOAD + 1)), null, null, null, null, null, null), null, NOW));

        assertEquals(413, problem.status());
        assertEquals(ProblemType.PAYLOAD_TOO_LARGE, problem.type());
        assertTrue(problem.getMessage().contains(Integer.toString(MAX_PAYLOAD)), problem.getMessage());
        assertEquals(List.of(), problem.errors());
    }

    @Test
    void theBoundCountsUtf8BytesOfText() {
        // 33 two-byte characters: 66 bytes, over a bound of 64 though only 33 characters
        String text = "é".repeat(33);

        assertEquals(413, assertThrows(ProblemException.class, () -> REQUESTS.toMessage(request(DEVICE,
                JsonNodeFactory.instance.textNode(text), null, null, null, null, null, null), null, NOW)).status());
    }

    @Test
    void theBoundCountsDecodedBytesOfBase64NotItsText() {
        // 48 bytes are 64 base64 characters: within the bound; 65 bytes are over it
        String fits = Base64.getEncoder().encodeToString(new byte[48]);
        assertEquals(64, fits.length());
        assertEquals(48, REQUESTS.toMessage(request(DEVICE, null, fits, null, null, null, null, null), null, NOW).payload().length);

        String over = Base64.getEncoder().encodeToString(new byte[MAX_PAYLOAD + 1]);
        assertEquals(413, assertThrows(ProblemException.class, () -> REQUESTS.toMessage(request(DEVICE, null, over, null, null, null,
                null, null), null, NOW)).status());
    }

    // ---- refused messages: 400 with the failing fields ------------------------------------------------------

    @Test
    void noBodyIsRefused() {
        assertFields(() -> REQUESTS.toMessage(null, null, NOW), "body");
    }

    @Test
    void aMissingTargetIsRefused() {
        assertFields(() -> REQUESTS.toMessage(request(null, TEXT, null, null, null, null, null, null), null, NOW), "to");
    }

    @Test
    void aTargetMustNameExactlyOneKindOfRecipient() {
        assertFields(() -> REQUESTS.toMessage(request(new To(null, null, null, null), TEXT, null, null, null, null, null, null), null,
                NOW), "to");
        assertFields(() -> REQUESTS.toMessage(request(new To("dev-1", null, "alice", null), TEXT, null, null, null, null, null, null),
                null, NOW), "to");
        assertFields(() -> REQUESTS.toMessage(request(new To("dev-1", List.of("dev-2"), null, null), TEXT, null, null, null, null,
                null, null), null, NOW), "to");
        assertFields(() -> REQUESTS.toMessage(request(new To(null, null, "alice", "news"), TEXT, null, null, null, null, null, null),
                null, NOW), "to");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "a+b", "a#", "{d:x}", "a b", "héllo"})
    void anInvalidDeviceIdIsRefused(String id) {
        assertFields(() -> REQUESTS.toMessage(request(new To(id, null, null, null), TEXT, null, null, null, null, null, null), null,
                NOW), "to.device");
    }

    @Test
    void aDeviceIdLongerThan64CharactersIsRefused() {
        assertFields(() -> REQUESTS.toMessage(request(new To("d".repeat(65), null, null, null), TEXT, null, null, null, null, null,
                null), null, NOW), "to.device");
    }

    @Test
    void anEmptyDeviceListIsRefused() {
        assertFields(() -> REQUESTS.toMessage(request(new To(null, List.of(), null, null), TEXT, null, null, null, null, null, null),
                null, NOW), "to.devices");
    }

    @Test
    void aDeviceListOfAThousandIsAcceptedAndOneMoreIsRefused() {
        List<String> thousand = IntStream.range(0, 1000).mapToObj(i -> "d" + i).toList();
        assertEquals(1000, REQUESTS.toMessage(request(new To(null, thousand, null, null), TEXT, null, null, null, null, null, null),
                null, NOW).target().devices().size());

        List<String> more = new ArrayList<>(thousand);
        more.add("d1000");
        assertFields(() -> REQUESTS.toMessage(request(new To(null, more, null, null), TEXT, null, null, null, null, null, null), null,
                NOW), "to.devices");
    }

    @Test
    void eachInvalidIdInADeviceListIsNamedByItsIndex() {
        assertFields(() -> REQUESTS.toMessage(request(new To(null, Arrays.asList("ok", "a/b", "fine", null), null, null), TEXT, null,
                null, null, null, null, null), null, NOW), "to.devices[1]", "to.devices[3]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice smith", "a/b", "a#b"})
    void anInvalidUserIdIsRefused(String user) {
        assertFields(() -> REQUESTS.toMessage(request(new To(null, null, user, null), TEXT, null, null, null, null, null, null), null,
                NOW), "to.user");
    }

    @Test
    void aUserIdLongerThan128CharactersIsRefused() {
        assertFields(() -> REQUESTS.toMessage(request(new To(null, null, "u".repeat(129), null), TEXT, null, null, null, null, null,
                null), null, NOW), "to.user");
    }

    @Test
    void aTopicTargetIsDeliveredOnTheTopicAndAnAppTargetIsCarriedOver() {
        OutgoingMessage toTopic = REQUESTS.toMessage(request(new To(null, null, null, "news/sports"), TEXT, null, null, null, null, null,
                null), null, NOW);
        OutgoingMessage toApp = REQUESTS.toMessage(request(new To(null, null, null, null, null, "com.example.app"), TEXT, null, null, null,
                null, null, null), null, NOW);
        assertEquals(new Target(null, null, null, "news/sports"), toTopic.target());
        assertEquals("news/sports", toTopic.forDevice("dev-1").mqttTopic("dev-1"));
        assertEquals(new Target(null, null, null, null, "com.example.app"), toApp.target());
        assertEquals("devices/dev-1/messages", toApp.forDevice("dev-1").mqttTopic("dev-1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"news/#", "news/+/x", "$SYS/x", "devices/dev-1/messages", ""})
    void topicsWithWildcardsReservedOrInADevicesNamespaceAreRefused(String topic) {
        assertFields(() -> REQUESTS.toMessage(request(new To(null, null, null, topic), TEXT, null, null, null, null, null, null), null,
                NOW), "to.topic");
    }

    @Test
    void aTopicMessageTakesNoSubtopicAndAnInvalidAppIsRefused() {
        assertFields(() -> REQUESTS.toMessage(request(new To(null, null, null, "news"), TEXT, null, null, "chat", null, null, null), null,
                NOW), "subtopic");
        assertFields(() -> REQUESTS.toMessage(request(new To(null, null, null, null, null, "bad app"), TEXT, null, null, null, null, null,
                null), null, NOW), "to.app");
    }

    @Test
    void aMessageWithoutAnyPayloadIsRefused() {
        assertFields(() -> REQUESTS.toMessage(request(DEVICE, null, null, null, null, null, null, null), null, NOW), "payload");
        assertFields(() -> REQUESTS.toMessage(request(DEVICE, JsonNodeFactory.instance.nullNode(), null, null, null, null, null, null),
                null, NOW), "payload");
    }

    @Test
    void aMessageWithBothPayloadsIsRefused() {
        assertFields(() -> REQUESTS.toMessage(request(DEVICE, TEXT, "AAE=", null, null, null, null, null), null, NOW), "payload");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "AA=E", "AAE=="})
    void invalidBase64IsRefused(String base64) {
        assertFields(() -> REQUESTS.toMessage(request(DEVICE, null, base64, null, null, null, null, null), null, NOW), "payloadBase64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/messages", "messages/", "a//b", "+", "#", "a/+", "a/#", "$tether", "a b", "ü",
            "1/2/3/4/5/6/7/8/9"})
    void anInvalidSubtopicIsRefused(String subtopic) {
        assertFields(() -> REQUESTS.toMessage(request(DEVICE, TEXT, null, null, subtopic, null, null, null), null, NOW), "subtopic");
    }

    @Test
    void aSubtopicLevelLongerThan64CharactersIsRefused() {
        assertFields(() -> REQUESTS.toMessage(request(DEVICE, TEXT, null, null, "a/" + "b".repeat(65), null, null, null), null, NOW),
                "subtopic");
    }

    @Test
    void aTtlOfZeroANegativeTtlOrOneOverTheLongestIsRefused() {
        // ttl 0 would expire as it is accepted: 202, then expired on every route (push-service: expiresAt <= now).
        assertFields(() -> REQUESTS.toMessage(request(DEVICE, TEXT, null, null, null, 0L, null, null), null, NOW), "ttl");
        assertFields(() -> REQUESTS.toMessage(request(DEVICE, TEXT, null, null, null, -1L, null, null), null, NOW), "ttl");
        long over = Duration.ofDays(28).toSeconds() + 1;
        assertFields(() -> REQUESTS.toMessage(request(DEVICE, TEXT, null, null, null, over, null, null), null, NOW), "ttl");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "line\nbreak", "carriage\rreturn", "tab\there", "nul\u0000", "del\u007f", "c1\u0085",
            "line\u2028separator"})
    void anEmptyCollapseKeyOrOneWithAControlCharacterOrLineBreakIsRefused(String key) {
        assertFields(() -> REQUESTS.toMessage(request(DEVICE, TEXT, null, null, null, null, key, null), null, NOW), "collapseKey");
    }

    @Test
    void aCollapseKeyLongerThan64CharactersIsRefused() {
        assertFields(() -> REQUESTS.toMessage(request(DEVICE, TEXT, null, null, null, null, "k".repeat(65), null), null, NOW),
                "collapseKey");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"alert\"", "[1]", "3"})
    void pushOptionsThatAreNotAnObjectAreRefused(String push) {
        assertFields(() -> REQUESTS.toMessage(request(DEVICE, TEXT, null, null, null, null, null, json(push)), null, NOW), "push");
    }

    @Test
    void everyFailingFieldIsReportedAtOnce() {
        SendMessageRequest request = request(new To("a/b", null, null, null), null, null, null, "+", -5L, "", json("[]"));

        assertFields(() -> REQUESTS.toMessage(request, null, NOW), "to.device", "payload", "subtopic", "ttl", "collapseKey", "push");
    }

    @Test
    void aValidationProblemIsA400OfTheValidationTypeThatNamesFieldsNotValues() {
        ProblemException problem = assertThrows(ProblemException.class, () -> REQUESTS.toMessage(request(
                new To("secret/value", null, null, null), TEXT, null, null, null, null, null, null), null, NOW));

        assertEquals(400, problem.status());
        assertEquals(ProblemType.VALIDATION, problem.type());
        Problem document = problem.toProblem("/v1/messages");
        assertEquals("urn:tether:problem:validation", document.type());
        assertTrue(document.errors().stream().noneMatch(e -> e.message().contains("secret/value")), document.errors().toString());
        assertTrue(document.detail() == null || !document.detail().contains("secret/value"), document.detail());
    }

    // ---- MQTT 5 properties -----------------------------------------------------------------------------------

    @Test
    void userPropertiesResponseTopicAndCorrelationDataAreCarriedInTheGivenOrder() throws IOException {
        SendMessageRequest request = Json.MAPPER.readValue("""
                {"to":{"device":"dev-1"},"payload":"ping","properties":{"x-kind":"request","b":"2","a":"1"},
                 "responseTopic":"devices/dev-1/replies/7","correlationData":"AAEC"}""", SendMessageRequest.class);

        OutgoingMessage message = REQUESTS.toMessage(request, null, NOW);

        assertEquals(new MessageProperties(List.of(new MessageProperties.UserProperty("x-kind", "request"),
                new MessageProperties.UserProperty("b", "2"), new MessageProperties.UserProperty("a", "1")),
                "devices/dev-1/replies/7", new byte[] {0, 1, 2}), message.properties());
    }

    @Test
    void aMessageWithoutThemCarriesNone() {
        assertNull(REQUESTS.toMessage(request(DEVICE, TEXT, null, null, null, null, null, null), null, NOW).properties());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"a\"]", "\"text\"", "{\"n\":1}", "{\"tether-message-id\":\"x\"}", "{\"Tether-Epoch\":\"x\"}",
            "{\"traceparent\":\"x\"}", "{\"\":\"x\"}"})
    void propertiesThatAreNotStringsOrUseReservedNamesAreRefusedNamingTheProperty(String properties) {
        ProblemException problem = assertThrows(ProblemException.class, () -> REQUESTS.toMessage(mqtt5(json(properties), null, null),
                null, NOW));
        assertEquals(1, problem.errors().size(), problem.errors().toString());
        String field = problem.errors().get(0).field();
        JsonNode given = json(properties);
        assertEquals(given.isObject() ? "properties." + given.fieldNames().next() : "properties", field);
    }

    @Test
    void tooManyPropertiesAreRefused() {
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i <= MqttPropertiesRequest.MAX_PROPERTIES; i++) {
            many.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":\"v\"");
        }
        assertFields(() -> REQUESTS.toMessage(mqtt5(json(many + "}"), null, null), null, NOW), "properties");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "devices/+/x", "devices/#"})
    void aResponseTopicWithWildcardsOrEmptyIsRefused(String topic) {
        assertFields(() -> REQUESTS.toMessage(mqtt5(null, topic, null), null, NOW), "responseTopic");
    }

    @Test
    void correlationDataMustBeBase64OfAtMostFourKilobytes() {
        assertFields(() -> REQUESTS.toMessage(mqtt5(null, null, "not base64!"), null, NOW), "correlationData");
        String tooLong = Base64.getEncoder().encodeToString(new byte[MqttPropertiesRequest.MAX_CORRELATION_BYTES + 1]);
        assertFields(() -> REQUESTS.toMessage(mqtt5(null, null, tooLong), null, NOW), "correlationData");
    }

    private static SendMessageRequest mqtt5(JsonNode properties, String responseTopic, String correlationData) {
        return new SendMessageRequest(DEVICE, TEXT, null, null, null, null, null, null, properties, responseTopic, correlationData);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static SendMessageRequest request(To to, JsonNode payload, String payloadBase64, String contentType, String subtopic,
            Long ttl, String collapseKey, JsonNode push) {
        return new SendMessageRequest(to, payload, payloadBase64, contentType, subtopic, ttl, collapseKey, push);
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The call is refused with a 400 validation problem naming exactly {@code fields}. */
    private static void assertFields(org.junit.jupiter.api.function.Executable call, String... fields) {
        ProblemException problem = assertThrows(ProblemException.class, call);
        assertEquals(400, problem.status(), problem.getMessage());
        assertEquals(ProblemType.VALIDATION, problem.type());
        assertEquals(List.of(fields), problem.errors().stream().map(Problem.FieldError::field).toList());
    }
}
