package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.gateway.mqtt.Grants.Grant;
import io.tether.gateway.mqtt.TopicPolicy.PublishKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a device may publish and subscribe to (DESIGN.md §6): its own namespace and the reserved signals, nothing else. */
class TopicPolicyTest {
    private static final String ID = "dev-1";

    @Test
    void aDevicesNamespaceAndMessagesTopicAreUnderDevicesAndItsId() {
        assertEquals("devices/dev-1/", TopicPolicy.namespace(ID));
        assertEquals("devices/dev-1/messages", TopicPolicy.messagesTopic(ID));
    }

    // ---- publish --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"devices/dev-1/telemetry", "devices/dev-1/messages", "devices/dev-1/a/b/c", "devices/dev-1//x",
            "devices/dev-1/$x"})
    void aDeviceMayPublishBelowItsOwnId(String topic) {
        assertEquals(PublishKind.OWN, TopicPolicy.classifyPublish(ID, topic));
    }

    @Test
    void theLifecycleAndPushTokenSignalsAreRecognised() {
        assertEquals(PublishKind.LIFECYCLE, TopicPolicy.classifyPublish(ID, "$tether/lifecycle"));
        assertEquals(PublishKind.PUSH_TOKEN, TopicPolicy.classifyPublish(ID, "$tether/push-token"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // another device, including one whose id starts with this one's
            "devices/dev-2/telemetry", "devices/dev-10/telemetry", "devices/dev/telemetry",
            // the id level itself, or nothing below it
            "devices/dev-1", "devices/dev-1/", "devices",
            // wildcards are never publishable
            "devices/dev-1/+", "devices/dev-1/#", "devices/+/telemetry", "devices/dev-1/a+b",
            // other reserved or foreign topics
            "$tether/other", "$tether/lifecycle/x", "$tether/Lifecycle", "$SYS/broker", "tether.upstream", "telemetry",
            "/devices/dev-1/telemetry", "Devices/dev-1/telemetry"})
    void everythingElseIsDenied(String topic) {
        assertEquals(PublishKind.DENIED, TopicPolicy.classifyPublish(ID, topic));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void noTopicIsDenied(String topic) {
        assertEquals(PublishKind.DENIED, TopicPolicy.classifyPublish(ID, topic));
    }

    // ---- subscribe ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"devices/dev-1/#", "devices/dev-1/+", "devices/dev-1/messages", "devices/dev-1/chat/+",
            "devices/dev-1/+/42", "devices/dev-1/chat/#"})
    void aDeviceMaySubscribeInsideItsNamespaceWithWildcardsBelowItsId(String filter) {
        assertTrue(TopicPolicy.maySubscribe(ID, filter), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+/#", "devices/#", "devices/+", "devices/+/messages", "devices/+/#", "+/dev-1/messages",
            "+/+/messages"})
    void wildcardsAtOrAboveTheIdLevelAreRefused(String filter) {
        assertFalse(TopicPolicy.maySubscribe(ID, filter), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"devices/dev-2/#", "devices/dev-10/messages", "devices/dev/#", "devices/dev-1", "devices/dev-1/",
            "$tether/lifecycle", "$tether/push-token", "$tether/#", "$share/group/devices/dev-1/#", "$SYS/#"})
    void otherNamespacesTheIdLevelItselfAndReservedTopicsAreRefused(String filter) {
        assertFalse(TopicPolicy.maySubscribe(ID, filter), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"devices/dev-1/a#", "devices/dev-1/#/x", "devices/dev-1/a+", "devices/dev-1/+a/b", ""})
    void invalidFiltersAreRefusedEvenInsideTheNamespace(String filter) {
        assertFalse(TopicFilter.isValid(filter), "precondition: " + filter + " is invalid");
        assertFalse(TopicPolicy.maySubscribe(ID, filter), filter);
    }

    @Test
    void aTopicOrFilterWithTheNullCharacterIsRefusedEvenInsideTheNamespace() {
        assertEquals(PublishKind.DENIED, TopicPolicy.classifyPublish(ID, "devices/dev-1/a\u0000b"));
        assertFalse(TopicPolicy.maySubscribe(ID, "devices/dev-1/\u0000/#"));
        assertEquals(PublishKind.OWN, TopicPolicy.classifyPublish(ID, "devices/dev-1/ab"));
        Grants chat = new Grants(List.of(new Grants.Grant("chat/#", false, true)));
        assertEquals(PublishKind.DENIED, TopicPolicy.classifyPublish(ID, "chat/a\u0000b", chat), "nor under a publish grant");
        assertEquals(PublishKind.GRANTED, TopicPolicy.classifyPublish(ID, "chat/ab", chat));
    }

    @Test
    void noFilterIsRefused() {
        assertFalse(TopicPolicy.maySubscribe(ID, null));
    }

    // ---- grants from the registry ---------------------------------------------------------------------------

    private static final Grants NEWS_READER = new Grants(List.of(new Grant("news/#", true, false)));
    private static final Grants SENSOR_WRITER = new Grants(List.of(new Grant("sensors/+/temp", false, true)));
    private static final Grants EVERYTHING = new Grants(List.of(new Grant("#", true, true)));

    @Test
    void withoutGrantsOnlyTheOwnNamespaceAndSignalsAreAllowed() {
        assertEquals(PublishKind.OWN, TopicPolicy.classifyPublish(ID, "devices/dev-1/x", Grants.NONE));
        assertEquals(PublishKind.LIFECYCLE, TopicPolicy.classifyPublish(ID, "$tether/lifecycle", Grants.NONE));
        assertEquals(PublishKind.DENIED, TopicPolicy.classifyPublish(ID, "news/sport", Grants.NONE));
        assertTrue(TopicPolicy.maySubscribe(ID, "devices/dev-1/#", Grants.NONE));
        assertFalse(TopicPolicy.maySubscribe(ID, "news/sport", Grants.NONE));
    }

    @Test
    void aSubscribeGrantAllowsFiltersInsideItButNotPublishing() {
        assertTrue(TopicPolicy.maySubscribe(ID, "news/sport", NEWS_READER));
        assertTrue(TopicPolicy.maySubscribe(ID, "news/+/scores", NEWS_READER));
        assertTrue(TopicPolicy.maySubscribe(ID, "news/#", NEWS_READER));
        assertFalse(TopicPolicy.maySubscribe(ID, "#", NEWS_READER));
        assertFalse(TopicPolicy.maySubscribe(ID, "+/sport", NEWS_READER));
        assertEquals(PublishKind.DENIED, TopicPolicy.classifyPublish(ID, "news/sport", NEWS_READER));
    }

    @Test
    void aPublishGrantAllowsMatchingTopicsButNotSubscribing() {
        assertEquals(PublishKind.GRANTED, TopicPolicy.classifyPublish(ID, "sensors/kitchen/temp", SENSOR_WRITER));
        assertEquals(PublishKind.DENIED, TopicPolicy.classifyPublish(ID, "sensors/kitchen/humidity", SENSOR_WRITER));
        assertEquals(PublishKind.DENIED, TopicPolicy.classifyPublish(ID, "sensors/+/temp", SENSOR_WRITER));
        assertFalse(TopicPolicy.maySubscribe(ID, "sensors/+/temp", SENSOR_WRITER));
    }

    @Test
    void evenAGrantOfEverythingNeverOpensReservedTopicsOrWildcardPublishes() {
        assertEquals(PublishKind.DENIED, TopicPolicy.classifyPublish(ID, "$tether/other", EVERYTHING));
        assertEquals(PublishKind.DENIED, TopicPolicy.classifyPublish(ID, "$SYS/broker", EVERYTHING));
        assertEquals(PublishKind.DENIED, TopicPolicy.classifyPublish(ID, "news/+", EVERYTHING));
        assertEquals(PublishKind.DENIED, TopicPolicy.classifyPublish(ID, "", EVERYTHING));
        assertEquals(PublishKind.DENIED, TopicPolicy.classifyPublish(ID, null, EVERYTHING), "a PUBLISH without a topic name");
        assertEquals(PublishKind.LIFECYCLE, TopicPolicy.classifyPublish(ID, "$tether/lifecycle", EVERYTHING));
        assertEquals(PublishKind.OWN, TopicPolicy.classifyPublish(ID, "devices/dev-1/x", EVERYTHING));
        assertFalse(TopicPolicy.maySubscribe(ID, "$tether/lifecycle", EVERYTHING));
        assertFalse(TopicPolicy.maySubscribe(ID, "$SYS/#", EVERYTHING));
        assertFalse(TopicPolicy.maySubscribe(ID, "news/#/x", EVERYTHING));
    }

    @Test
    void grantsFromTheRegistryKeepValidNonReservedFiltersWithTheirActions() {
        Grants grants = Grants.fromHashes(List.of(
                Map.of("news/#", "subscribe", "sensors/+/temp", "publish", "$tether/#", "subscribe,publish", "bad/#/x", "subscribe"),
                Map.of("chat/room-1", "subscribe,publish")));

        assertEquals(3, grants.grants().size(), grants.toString());
        assertTrue(grants.allowsSubscribe("news/sport"));
        assertFalse(grants.allowsPublish("news/sport"));
        assertTrue(grants.allowsPublish("sensors/a/temp"));
        assertFalse(grants.allowsSubscribe("sensors/a/temp"));
        assertTrue(grants.allowsSubscribe("chat/room-1"));
        assertTrue(grants.allowsPublish("chat/room-1"));
        assertFalse(grants.allowsSubscribe("$tether/lifecycle"));
    }

    @Test
    void everyFilterADeviceMaySubscribeToOnlyMatchesItsOwnTopics() {
        for (String filter : new String[] {"devices/dev-1/#", "devices/dev-1/+", "devices/dev-1/+/+"}) {
            assertTrue(TopicPolicy.maySubscribe(ID, filter));
            assertFalse(TopicFilter.matches(filter, "devices/dev-2/messages"), filter);
            assertFalse(TopicFilter.matches(filter, "devices/dev-10/messages"), filter);
            assertFalse(TopicFilter.matches(filter, "$tether/lifecycle"), filter);
        }
    }
}
