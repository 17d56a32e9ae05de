package io.tether.pushoptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.pushy.apns.PushType;
import io.tether.contract.Json;
import io.tether.contract.PushTokenSlot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading and checking push options: each field's type, Apple's rules across fields, the field named in each refusal. */
class PushOptionsTest {

    @Test
    void absentOrNullOptionsAreNone() {
        assertSame(PushOptions.NONE, PushOptions.parse(null));
        assertSame(PushOptions.NONE, PushOptions.parse(" "));
        assertSame(PushOptions.NONE, PushOptions.parse("null"));
        assertFalse(PushOptions.NONE.isVisible());
    }

    @Test
    void readsEveryField() {
        PushOptions options = PushOptions.parse("""
                {"alert": {"title": "T", "locArgs": ["a", 2]}, "sound": "s", "badge": 0, "category": "c", "threadId": "t",
                 "contentAvailable": true, "mutableContent": false, "data": {"k": {"n": 1}}, "pushType": "voip", "priority": 5,
                 "interruptionLevel": "passive", "relevanceScore": 1, "targetContentId": "x", "aps": {"new-key": 1},
                 "futureField": 1}
                """);
        assertEquals("T", options.alert().title());
        assertEquals(List.of("a", "2"), options.alert().locArgs());
        assertEquals(new PushOptions.Sound("s", false, null, null), options.sound());
        assertEquals(0, options.badge());
        assertEquals("c", options.category());
        assertEquals("t", options.threadId());
        assertTrue(options.contentAvailable());
        assertFalse(options.mutableContent());
        assertEquals(Map.of("n", 1), options.data().get("k"));
        assertEquals("voip", options.pushType());
        assertEquals(5, options.priority());
        assertEquals("passive", options.interruptionLevel());
        assertEquals(1.0, options.relevanceScore());
        assertEquals("x", options.targetContentId());
        assertEquals(Map.of("new-key", 1), options.aps());
        assertTrue(options.isVisible());
    }

    @Test
    void soundDictionaryIsReadWithItsFields() {
        assertEquals(new PushOptions.Sound("alarm.caf", true, true, 0.5),
                PushOptions.parse("{\"sound\": {\"name\": \"alarm.caf\", \"critical\": true, \"volume\": 0.5}}").sound());
    }

    @Test
    void pushTypeIsDerivedWhenNotGiven() {
        assertEquals(PushType.BACKGROUND, PushOptions.parse("{\"data\": {\"k\": 1}}").type());
        assertEquals(PushType.ALERT, PushOptions.parse("{\"badge\": 1}").type());
        assertEquals(PushType.LIVE_ACTIVITY, PushOptions.parse(
                "{\"liveActivity\": {\"event\": \"end\"}, \"activity\": \"a1\"}").type());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{}                                                              | alert",
            "{\"pushType\": \"voip\"}                                        | voip",
            "{\"pushType\": \"background\"}                                  | alert",
            "{\"liveActivity\": {\"event\": \"update\", \"contentState\": {}}, \"activity\": \"A-1\"} | liveActivity A-1",
            "{\"liveActivity\": {\"event\": \"end\"}, \"activity\": \"A-1\"} | liveActivity A-1",
            "{\"liveActivity\": {\"event\": \"start\", \"contentState\": {}, \"attributesType\": \"Delivery\", \"attributes\": {}}, \"alert\": {\"title\": \"t\", \"body\": \"b\"}} | pushToStart Delivery"})
    void tokenSlotFollowsThePushType(String json, String slot) {
        assertEquals(slot, PushOptions.parse(json).tokenSlot().toString());
    }

    @Test
    void voipGoesToTheVoipToken() {
        assertEquals(PushTokenSlot.VOIP, PushOptions.parse("{\"pushType\": \"voip\"}").tokenSlot());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"location", "pushtotalk", "complication", "fileprovider", "mdm"})
    void applesPushTypesThatNeedATokenTetherDoesNotKeepAreRefused(String pushType) {
        // Sent to the standard token, APNs would answer DeviceTokenNotForTopic.
        BadPushOptionsException e = assertThrows(BadPushOptionsException.class,
                () -> PushOptions.parse("{\"pushType\": \"" + pushType + "\", \"alert\": \"hi\"}"));
        assertEquals(List.of(new BadPushOptionsException.Violation("push.pushType", "cannot be " + pushType
                + ": Tether has no token slot for it (it keeps the standard, VoIP, push-to-start and Live Activity tokens); "
                + "one of alert, background, voip, liveactivity")), e.violations());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // field types
            "[1]                                         | push                     | must be an object",
            "{\"alert\": 1}                              | push.alert               | must be a string or an object",
            "{\"alert\": {\"title\": 2}}                 | push.alert.title         | must be a non-empty string",
            "{\"alert\": {\"locKey\": \"k\", \"locArgs\": \"a\"}} | push.alert.locArgs       | must be an array of strings",
            "{\"badge\": -1}                             | push.badge               | must be a non-negative integer",
            "{\"badge\": 1.5}                            | push.badge               | must be a non-negative integer",
            "{\"sound\": 3}                              | push.sound               | must be a sound file name or {\"name\", \"critical\", \"volume\"}",
            "{\"sound\": \"\"}                           | push.sound               | must be a sound file name or {\"name\", \"critical\", \"volume\"}",
            "{\"sound\": {\"critical\": true}}           | push.sound.name          | is required",
            "{\"sound\": {\"name\": \"a\", \"critical\": 1}} | push.sound.critical  | must be true or false",
            "{\"sound\": {\"name\": \"a\", \"volume\": 2}}   | push.sound.volume    | must be a number from 0 to 1",
            "{\"category\": 7}                           | push.category            | must be a non-empty string",
            "{\"threadId\": \"\"}                        | push.threadId            | must be a non-empty string",
            "{\"targetContentId\": []}                   | push.targetContentId     | must be a non-empty string",
            "{\"contentAvailable\": 1}                   | push.contentAvailable    | must be true or false",
            "{\"mutableContent\": \"yes\"}               | push.mutableContent      | must be true or false",
            "{\"interruptionLevel\": \"loud\"}           | push.interruptionLevel   | must be one of passive, active, time-sensitive, critical",
            "{\"relevanceScore\": 1.5}                   | push.relevanceScore      | must be a number from 0 to 1",
            "{\"relevanceScore\": \"hi\"}                | push.relevanceScore      | must be a number from 0 to 1",
            "{\"data\": []}                              | push.data                | must be an object",
            "{\"data\": {\"aps\": 1}}                    | push.data.aps            | is reserved",
            "{\"data\": {\"tether\": 1}}                 | push.data.tether         | is reserved",
            "{\"aps\": 1}                                | push.aps                 | must be an object",
            "{\"pushType\": \"telepathy\"}               | push.pushType            | must be one of alert, background, voip, liveactivity",
            // priority: Apple's rules
            "{\"priority\": 7}                           | push.priority            | must be 10 (now), 5 (as power allows) or 1 (without waking the device)",
            "{\"priority\": 1}                           | push.priority            | 1 cannot be sent yet: the APNs client (Pushy 0.15.4) sends only 10 or 5",
            "{\"priority\": 10}                          | push.priority            | must be 5 for a background push: APNs refuses 10 without an alert, sound or badge",
            "{\"priority\": 10, \"pushType\": \"alert\", \"contentAvailable\": true} | push.priority | must be 5 for a background push: APNs refuses 10 without an alert, sound or badge",
            "{\"priority\": 10, \"pushType\": \"background\", \"data\": {\"k\": 1}} | push.priority | must be 5 for a background push: APNs refuses 10 without an alert, sound or badge",
            // a background push does not alert
            "{\"pushType\": \"background\", \"alert\": \"Hi\"}  | push.alert               | must be left out of a background push: it wakes the app without alerting, sounding or badging (pushType alert does those)",
            "{\"pushType\": \"background\", \"sound\": \"a.caf\"} | push.sound             | must be left out of a background push: it wakes the app without alerting, sounding or badging (pushType alert does those)",
            "{\"pushType\": \"background\", \"badge\": 1}      | push.badge               | must be left out of a background push: it wakes the app without alerting, sounding or badging (pushType alert does those)",
            "{\"aps\": {\"alert\": \"Hi\"}}                      | push.aps.alert           | must be left out of a background push: it wakes the app without alerting, sounding or badging (pushType alert does those)",
            // Live Activities
            "{\"liveActivity\": 1}                       | push.liveActivity        | must be an object",
            "{\"pushType\": \"liveactivity\"}            | push.liveActivity        | is required for pushType liveactivity",
            "{\"pushType\": \"voip\", \"liveActivity\": {\"event\": \"end\"}, \"activity\": \"a\"} | push.pushType | must be liveactivity (or left out) with push.liveActivity",
            "{\"liveActivity\": {\"event\": \"pause\"}, \"activity\": \"a\"} | push.liveActivity.event | must be one of start, update, end",
            "{\"liveActivity\": {}, \"activity\": \"a\"} | push.liveActivity.event  | is required: start, update or end",
            "{\"liveActivity\": {\"event\": \"update\"}, \"activity\": \"a\"} | push.liveActivity.contentState | is required to update a Live Activity",
            "{\"liveActivity\": {\"event\": \"update\", \"contentState\": []}, \"activity\": \"a\"} | push.liveActivity.contentState | must be an object",
            "{\"liveActivity\": {\"event\": \"update\", \"contentState\": {}}} | to.activity | is required to update a Live Activity: its id",
            "{\"liveActivity\": {\"event\": \"end\"}}    | to.activity              | is required to end a Live Activity: its id",
            "{\"liveActivity\": {\"event\": \"end\"}, \"activity\": \"a b\"} | to.activity | must be 1 to 128 letters, digits, '.', '_' or '-'",
            "{\"liveActivity\": {\"event\": \"end\", \"timestamp\": 1700000000000}, \"activity\": \"a\"} | push.liveActivity.timestamp | must be a time in whole seconds since 1970 (UNIX time, not milliseconds)",
            "{\"liveActivity\": {\"event\": \"end\", \"staleDate\": \"soon\"}, \"activity\": \"a\"} | push.liveActivity.staleDate | must be a time in whole seconds since 1970 (UNIX time, not milliseconds)",
            "{\"liveActivity\": {\"event\": \"update\", \"contentState\": {}, \"dismissalDate\": 1700000000}, \"activity\": \"a\"} | push.liveActivity.dismissalDate | belongs to an end only",
            "{\"liveActivity\": {\"event\": \"end\", \"attributesType\": \"T\"}, \"activity\": \"a\"} | push.liveActivity.attributesType | belongs to a start only",
            "{\"liveActivity\": {\"event\": \"end\"}, \"activity\": \"a\", \"badge\": 1} | push.badge | is not part of a Live Activity notification",
            "{\"liveActivity\": {\"event\": \"end\"}, \"activity\": \"a\", \"data\": {\"k\": 1}} | push.data | is not part of a Live Activity notification",
            "{\"liveActivity\": {\"event\": \"start\", \"contentState\": {}, \"attributes\": {}}, \"alert\": {\"title\": \"t\", \"body\": \"b\"}} | push.liveActivity.attributesType | is required to start a Live Activity",
            "{\"liveActivity\": {\"event\": \"start\", \"contentState\": {}, \"attributesType\": \"T\"}, \"alert\": {\"title\": \"t\", \"body\": \"b\"}} | push.liveActivity.attributes | is required to start a Live Activity",
            "{\"liveActivity\": {\"event\": \"start\", \"contentState\": {}, \"attributesType\": \"T\", \"attributes\": {}}} | push.alert | is required to start a Live Activity: {\"title\", \"body\"}",
            "{\"liveActivity\": {\"event\": \"start\", \"contentState\": {}, \"attributesType\": \"T\", \"attributes\": {}}, \"alert\": {\"title\": \"t\", \"body\": \"b\"}, \"activity\": \"a\"} | to.activity | must be left out of a start: it goes to the device's push-to-start token of push.liveActivity.attributesType",
            "{\"liveActivity\": {\"event\": \"start\", \"contentState\": {}, \"attributesType\": \"T\", \"attributes\": {}}, \"alert\": {\"title\": \"t\"}} | push.alert | is required to start a Live Activity: {\"title\", \"body\"}",
            "{\"liveActivity\": {\"event\": \"start\", \"contentState\": {}, \"attributesType\": \"T\", \"attributes\": {}}, \"alert\": {\"body\": \"b\"}} | push.alert | is required to start a Live Activity: {\"title\", \"body\"}",
            "{\"activity\": \"a\", \"alert\": \"hi\"}     | to.activity              | only Live Activity messages (push.liveActivity) address an activity",
            // an alert object must show something
            "{\"alert\": {}}                             | push.alert               | shows nothing: give a title, subtitle or body (or titleLocKey, subtitleLocKey, locKey)",
            "{\"alert\": {\"launchImage\": \"a.png\", \"locArgs\": [\"x\"]}} | push.alert | shows nothing: give a title, subtitle or body (or titleLocKey, subtitleLocKey, locKey)"})
    void eachBadOptionIsRefusedNamingItsField(String json, String field, String message) {
        // Fanout's parse (strict): push-service lets a few of these pass when an earlier version accepted them.
        BadPushOptionsException e = assertThrows(BadPushOptionsException.class,
                () -> PushOptions.parse(Json.MAPPER.readTree(json), true));
        assertEquals(List.of(new BadPushOptionsException.Violation(field, message)), e.violations(), json);
    }

    @Test
    void everyWrongFieldIsNamedNotJustTheFirst() {
        BadPushOptionsException e = assertThrows(BadPushOptionsException.class,
                () -> PushOptions.parse("{\"badge\": \"x\", \"sound\": 1, \"threadId\": 2}"));
        assertEquals(List.of("push.sound", "push.badge", "push.threadId"),
                e.violations().stream().map(BadPushOptionsException.Violation::field).toList());
    }

    @Test
    void strictParsingRefusesUnknownFieldsLenientIgnoresThem() {
        String json = "{\"alert\": \"hi\", \"interuptionLevel\": \"passive\"}";
        BadPushOptionsException e = assertThrows(BadPushOptionsException.class, () -> PushOptions.parse(Json.MAPPER.readTree(json), true));
        assertEquals("push.interuptionLevel is not a push option", e.getMessage());
        assertEquals("hi", PushOptions.parse(json).alert().text());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"alert\": {\"titel\": \"T\", \"body\": \"b\"}}                         | push.alert.titel",
            "{\"sound\": {\"name\": \"a.caf\", \"citical\": true}}                    | push.sound.citical",
            "{\"liveActivity\": {\"event\": \"end\", \"dismisalDate\": 1800000000}, \"activity\": \"a\"} | push.liveActivity.dismisalDate"})
    void strictParsingRefusesUnknownFieldsInsideAlertSoundAndLiveActivity(String json, String field) throws Exception {
        BadPushOptionsException e = assertThrows(BadPushOptionsException.class, () -> PushOptions.parse(Json.MAPPER.readTree(json), true));
        assertEquals(List.of(new BadPushOptionsException.Violation(field, "is not a push option")), e.violations());
        PushOptions.parse(json); // push-service ignores them, so a newer fanout never breaks it
    }

    @Test
    void freeFormObjectsTakeAnyKeyWhenStrict() throws Exception {
        PushOptions options = PushOptions.parse(Json.MAPPER.readTree("{\"data\": {\"any\": 1}, \"aps\": {\"new-key\": 1}}"), true);
        assertEquals(Map.of("any", 1), options.data());
        assertEquals(Map.of("new-key", 1), options.aps());
        PushOptions live = PushOptions.parse(Json.MAPPER.readTree(
                "{\"liveActivity\": {\"event\": \"update\", \"contentState\": {\"eta\": 5}}, \"activity\": \"a\"}"), true);
        assertEquals(Map.of("eta", 5), live.liveActivity().contentState());
    }

    @Test
    void notJsonIsRefused() {
        assertEquals("push is not JSON", assertThrows(BadPushOptionsException.class, () -> PushOptions.parse("{")).getMessage());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "{\"pushType\":\"background\",\"badge\":0}",
            "{\"alert\":{\"launchImage\":\"a.png\"}}",
            "{\"pushType\":\"alert\",\"contentAvailable\":true,\"priority\":10}"})
    void pushServiceSendsWhatAnEarlierFanoutAcceptedThoughFanoutNowRefusesIt(String json) throws Exception {
        // A request may wait in an inbox or in Kafka across an upgrade: the rules added since apply at intake only.
        PushOptions sent = PushOptions.parse(json);
        assertThrows(BadPushOptionsException.class, () -> PushOptions.parse(Json.MAPPER.readTree(json), true));
        if (sent.type() == PushType.BACKGROUND) {
            assertEquals(com.eatthepath.pushy.apns.DeliveryPriority.CONSERVE_POWER, ApnsPriority.of(sent), "a background push is 5");
        }
    }
}
