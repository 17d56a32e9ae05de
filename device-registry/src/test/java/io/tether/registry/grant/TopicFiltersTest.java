package io.tether.registry.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopicFiltersTest {

    @Test
    void acceptsMqttFiltersWithWholeLevelWildcards() {
        for (String filter : List.of("chat/room1/#", "#", "chat/+/messages", "+", "a//b", "sensors/+/+/temp", "a/b/c")) {
            assertTrue(TopicFilters.problem(filter).isEmpty(), filter);
        }
    }

    @Test
    void refusesPartialWildcardsHashNotLastReservedAndEmpty() {
        for (String filter : List.of("chat/room#", "chat/#/x", "a+/b", "a/+b", "$SYS/#", "$tether/push-token", "",
                "a\u0000b", "x".repeat(TopicFilters.MAX_LENGTH + 1))) {
            assertTrue(TopicFilters.problem(filter).isPresent(), filter);
        }
        assertTrue(TopicFilters.problem(null).isPresent());
        assertFalse(TopicFilters.problem("$SYS/#").orElseThrow().contains("SYS"), "never quotes the filter");
    }

    @Test
    void grantsAreStoredAsTheGatewayReadsThem() {
        assertEquals("subscribe,publish", new Grant("a/#", EnumSet.of(GrantAction.PUBLISH, GrantAction.SUBSCRIBE)).storedActions());
        assertEquals("publish", new Grant("a/#", Set.of(GrantAction.PUBLISH)).storedActions());
        assertEquals(new Grant("a", Set.of(GrantAction.SUBSCRIBE, GrantAction.PUBLISH)), Grant.fromStored("a", "subscribe,publish"));
        assertEquals(new Grant("a", Set.of(GrantAction.SUBSCRIBE)), Grant.fromStored("a", "subscribe,retain"));
        assertNull(Grant.fromStored("a", "retain"));
    }
}
