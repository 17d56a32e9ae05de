package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** MQTT 3.1.1 §4.7 topic filters: matching and syntax. */
class TopicFilterTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            // exact
            "devices/d/messages,   devices/d/messages,      true",
            "devices/d/messages,   devices/d/Messages,      false",
            "devices/d/messages,   devices/d/messages/x,    false",
            "devices/d/messages/x, devices/d/messages,      false",
            "devices/d/messages,   devices/d/messages/,     false",
            // + is exactly one level, possibly empty
            "devices/d/+,          devices/d/messages,      true",
            "devices/d/+,          devices/d/chat/42,       false",
            "devices/d/+,          devices/d/,              true",
            "devices/d/+,          devices/d,               false",
            "devices/+/messages,   devices/d/messages,      true",
            "devices/d/+/42,       devices/d/chat/42,       true",
            "devices/d/+/42,       devices/d/chat/43,       false",
            "+/+/+,                devices/d/messages,      true",
            "+,                    devices,                 true",
            "+,                    devices/d,               false",
            // # is the rest, including the parent level itself
            "devices/d/#,          devices/d/messages,      true",
            "devices/d/#,          devices/d/chat/42/x,     true",
            "devices/d/#,          devices/d,               true",
            "devices/d/#,          devices/e/messages,      false",
            "devices/d/#,          devices/dd/messages,     false",
            "devices/+/#,          devices/d/chat/42,       true",
            "#,                    devices/d/messages,      true",
            // topics starting with $ are the server's: wildcards at the first level never match them (§4.7.2)
            "#,                    $tether/lifecycle,       false",
            "+/lifecycle,          $tether/lifecycle,       false",
            "$tether/#,            $tether/lifecycle,       true",
            "$tether/+,            $tether/lifecycle,       true",
    })
    void matchesLevelByLevel(String filter, String topic, boolean matches) {
        assertEquals(matches, TopicFilter.matches(filter, topic));
    }

    @Test
    void emptyLevelsAreLevelsToo() {
        assertTrue(TopicFilter.matches("a//b", "a//b"));
        assertFalse(TopicFilter.matches("a/b", "a//b"));
        assertTrue(TopicFilter.matches("a/+/b", "a//b"));
        assertTrue(TopicFilter.matches("/+", "/x"));
        assertFalse(TopicFilter.matches("+", "/x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "a", "a/b", "a/+", "a/#", "+/+/#", "/", "a//b", "/a", "a/", "devices/d/+/x/#"})
    void wellFormedFiltersAreValid(String filter) {
        assertTrue(TopicFilter.isValid(filter), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a#", "a/b#", "#/a", "a/#/b", "##", "a+", "+a", "a/+b", "a/b+/c", "++", "a/#/#"})
    void filtersWithWildcardsInsideALevelOrHashNotLastAreInvalid(String filter) {
        assertFalse(TopicFilter.isValid(filter), filter);
    }

    /** {@code covers(grant, filter)}: every topic the filter matches, the grant matches too. */
    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "news/#,         news/sport,      true",
            "news/#,         news/#,          true",
            "news/#,         news/+/scores,   true",
            "news/#,         news,            true",
            "news/#,         sport/#,         false",
            "news/+,         news/sport,      true",
            "news/+,         news/+,          true",
            "news/+,         news/#,          false",
            "news/+,         news/sport/x,    false",
            "news/sport,     news/+,          false",
            "news/sport,     news/sport,      true",
            "news/sport,     news/sport/x,    false",
            "news/+/#,       news/#,          false",
            "news/+/#,       news/a/#,        true",
            "a/b/#,          a/+/#,           false",
            "+/x,            a/x,             true",
            "#,              a/+/#,           true",
            "+/#,            #,               false",
            "#,              $tether/#,       false",
            "+/+,            $tether/push,    false",
            "$tether/#,      $tether/push,    true",
    })
    void aGrantCoversOnlyFiltersThatMatchNothingBeyondIt(String grant, String filter, boolean covers) {
        assertEquals(covers, TopicFilter.covers(grant, filter));
    }

    @Test
    void noFilterIsInvalid() {
        assertFalse(TopicFilter.isValid(null));
    }
}
