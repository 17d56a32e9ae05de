package io.tether.pushoptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import com.fasterxml.jackson.databind.JsonNode;
import io.tether.contract.Json;
import io.tether.contract.PushRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The options issue 17 added, table by table: push type, topic and priority; Live Activity payloads in ActivityKit's
 * shape; the sound dictionary; raw aps keys; VoIP's 5 KB limit.
 */
class NotificationMappingTest {
    private static final String TOKEN = "ab".repeat(32);
    private static final String BUNDLE = "com.example.chat";
    private static final long ACCEPTED_AT = 1_800_000_000_123L;
    private static final String LA_UPDATE = "\"liveActivity\": {\"event\": \"update\", \"contentState\": {\"eta\": 5}}, \"activity\": \"A1\"";

    private final NotificationFactory factory = new NotificationFactory();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // options                                              | push type    | topic                                   | priority
            "\"alert\": \"hi\"                                      | alert        | com.example.chat                        | 10",
            "\"alert\": \"hi\", \"priority\": 5                     | alert        | com.example.chat                        | 5",
            "\"contentAvailable\": true                             | background   | com.example.chat                        | 5",
            "\"pushType\": \"alert\", \"contentAvailable\": true      | alert        | com.example.chat                        | 5",
            "\"alert\": \"hi\", \"contentAvailable\": true           | alert        | com.example.chat                        | 10",
            "\"pushType\": \"voip\", \"data\": {\"call\": 1}        | voip         | com.example.chat.voip                   | 10",
            "\"pushType\": \"voip\", \"priority\": 5                | voip         | com.example.chat.voip                   | 5",
            LA_UPDATE + "                                           | liveactivity | com.example.chat.push-type.liveactivity | 5",
            LA_UPDATE + ", \"priority\": 10                         | liveactivity | com.example.chat.push-type.liveactivity | 10",
            LA_UPDATE + ", \"alert\": {\"title\": \"t\", \"body\": \"b\"} | liveactivity | com.example.chat.push-type.liveactivity | 10"})
    void pushTypeTopicAndPriority(String options, String pushType, String topic, int priority) {
        SimpleApnsPushNotification push = build("{" + options + "}", null);
        assertEquals(pushType, push.getPushType().getHeaderValue());
        assertEquals(topic, push.getTopic());
        assertEquals(priority, push.getPriority().getCode());
    }

    @Test
    void liveActivityStartHasActivityKitsFields() {
        JsonNode payload = payload(build("""
                {"liveActivity": {"event": "start", "timestamp": 1800000100, "contentState": {"eta": 12, "driver": "Ann"},
                                  "staleDate": 1800003600, "attributesType": "DeliveryAttributes",
                                  "attributes": {"orderId": "o-7"}},
                 "alert": {"title": "Order on its way", "body": "Ann is driving"}, "sound": "chime.caf",
                 "relevanceScore": 0.9, "interruptionLevel": "time-sensitive"}
                """, null));
        assertEquals(java.util.Set.of("aps"), fieldNames(payload), "ActivityKit reads only aps");
        JsonNode aps = payload.path("aps");
        assertEquals(json("""
                {"event": "start", "timestamp": 1800000100, "content-state": {"eta": 12, "driver": "Ann"},
                 "stale-date": 1800003600, "attributes-type": "DeliveryAttributes", "attributes": {"orderId": "o-7"},
                 "alert": {"title": "Order on its way", "body": "Ann is driving", "sound": "chime.caf"},
                 "relevance-score": 0.9, "interruption-level": "time-sensitive"}
                """), aps);
    }

    @Test
    void liveActivityUpdateTimestampDefaultsToWhenTheMessageWasAccepted() {
        JsonNode aps = payload(build("{" + LA_UPDATE + "}", null)).path("aps");
        assertEquals(json("{\"event\": \"update\", \"timestamp\": 1800000000, \"content-state\": {\"eta\": 5}}"), aps);
    }

    @Test
    void liveActivityEndCarriesItsDismissalDate() {
        JsonNode aps = payload(build("""
                {"liveActivity": {"event": "end", "timestamp": 1800000200, "contentState": {"eta": 0},
                                  "dismissalDate": 1800000500}, "activity": "A1"}
                """, null)).path("aps");
        assertEquals(json("{\"event\": \"end\", \"timestamp\": 1800000200, \"content-state\": {\"eta\": 0}, \"dismissal-date\": 1800000500}"), aps);
    }

    @Test
    void liveActivityCarriesNoMessageData() {
        JsonNode payload = payload(build("{" + LA_UPDATE + "}", "{\"ignored\": true}".getBytes(StandardCharsets.UTF_8)));
        assertFalse(payload.has("tether"));
    }

    @Test
    void criticalAlertSoundIsTheDictionary() {
        JsonNode aps = payload(build("{\"alert\": \"Smoke\", \"sound\": {\"name\": \"alarm.caf\", \"critical\": true, \"volume\": 0.8},"
                + " \"interruptionLevel\": \"critical\"}", null)).path("aps");
        assertEquals(json("{\"name\": \"alarm.caf\", \"critical\": 1, \"volume\": 0.8}"), aps.path("sound"));
        assertEquals("critical", aps.path("interruption-level").asText());
    }

    @Test
    void soundDictionaryWithoutCriticalOrVolumeIsNotCriticalAtFullVolume() {
        JsonNode aps = payload(build("{\"sound\": {\"name\": \"ping.caf\"}}", null)).path("aps");
        assertEquals(json("{\"name\": \"ping.caf\", \"critical\": 0, \"volume\": 1.0}"), aps.path("sound"));
    }

    @Test
    void rawApsKeysAreMergedOverWhatPushyBuilds() {
        JsonNode aps = payload(build("{\"alert\": \"hi\", \"badge\": 2, \"aps\": {\"badge\": 5, \"filter-criteria\": \"work\","
                + " \"alert\": null}}", null)).path("aps");
        assertEquals(5, aps.path("badge").asInt(), "the raw key wins");
        assertEquals("work", aps.path("filter-criteria").asText(), "a key Pushy does not model");
        assertFalse(aps.has("alert"), "null removes a key");
    }

    @Test
    void rawApsKeysReachLiveActivitiesToo() {
        JsonNode aps = payload(build("{" + LA_UPDATE + ", \"aps\": {\"input-push-token\": 1}}", null)).path("aps");
        assertEquals(1, aps.path("input-push-token").asInt());
    }

    @Test
    void voipTakesFiveKilobytesOfData() {
        byte[] data = "v".repeat(4500).getBytes(StandardCharsets.UTF_8);
        NotificationFactory.Notification voip = notification("{\"pushType\": \"voip\"}", data);
        assertFalse(voip.fetchHint(), "4.5 KB fits a VoIP notification");
        assertTrue(voip.payloadBytes() > NotificationFactory.MAX_PAYLOAD_BYTES);
        assertTrue(notification("{\"alert\": \"hi\"}", data).fetchHint(), "but not an alert");
    }

    @Test
    void voipDataOverFiveKilobytesIsReportedAsNotCarried() {
        // Reported, not refused here: fanout refuses such a call (PushOptionsCheck), as a VoIP push has no inbox to fetch from.
        assertTrue(notification("{\"pushType\": \"voip\"}", "v".repeat(5200).getBytes(StandardCharsets.UTF_8)).fetchHint());
    }

    @Test
    void liveActivityOverFourKilobytesIsRefused() {
        BadPushOptionsException e = assertThrows(BadPushOptionsException.class, () -> build(
                "{\"liveActivity\": {\"event\": \"update\", \"contentState\": {\"s\": \"" + "x".repeat(4100) + "\"}}, \"activity\": \"A1\"}", null));
        assertEquals("push.liveActivity", e.violations().get(0).field());
    }

    private SimpleApnsPushNotification build(String options, byte[] data) {
        return notification(options, data).push();
    }

    private NotificationFactory.Notification notification(String options, byte[] data) {
        PushRequest request = new PushRequest("dev1", "msg_1", ACCEPTED_AT, ACCEPTED_AT + 60_000, null, options, data,
                data == null ? null : "text/plain", "offline", null);
        return factory.build(request, PushOptions.parse(options), TOKEN, BUNDLE);
    }

    private static java.util.Set<String> fieldNames(JsonNode node) {
        java.util.Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode payload(SimpleApnsPushNotification push) {
        return json(push.getPayload());
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
