package io.tether.fanout.status;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AudiencesTest {

    @Test
    void aTopicIsAllowedByASubscribeGrantWhoseFilterMatchesIt() {
        assertTrue(Audiences.allowsSubscribe(Map.of("news/#", "subscribe"), "news/sports"));
        assertTrue(Audiences.allowsSubscribe(Map.of("news/+", "subscribe,publish"), "news/sports"));
        assertTrue(Audiences.allowsSubscribe(Map.of("news/sports", "subscribe"), "news/sports"));
    }

    @Test
    void publishOnlyGrantsOtherTopicsAndReservedFiltersAllowNothing() {
        assertFalse(Audiences.allowsSubscribe(Map.of("news/#", "publish"), "news/sports"));
        assertFalse(Audiences.allowsSubscribe(Map.of("news/weather", "subscribe"), "news/sports"));
        assertFalse(Audiences.allowsSubscribe(Map.of("news/+", "subscribe"), "news/sports/live"));
        assertFalse(Audiences.allowsSubscribe(Map.of("$SYS/#", "subscribe"), "news/sports"));
        assertFalse(Audiences.allowsSubscribe(Map.of(), "news/sports"));
    }
}
