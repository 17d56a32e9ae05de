package io.tether.push.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
                 "contentAvailable": true, "mutableContent": false, "data": {"k": {"n": 1}}, "pushType": "voip",
                 "interruptionLevel": "passive", "relevanceScore": 1, "targetContentId": "x", "futureField": 1}
                """);
        assertEquals("T", options.alert().title());
        assertEquals(List.of("a", "2"), options.alert().locArgs());
        assertEquals("s", options.sound());
        assertEquals(0, options.badge());
        assertEquals("c", options.category());
        assertEquals("t", options.threadId());
        assertTrue(options.contentAvailable());
        assertFalse(options.mutableContent());
        assertEquals(Map.of("n", 1), options.data().get("k"));
        assertEquals("voip", options.pushType());
        assertEquals("passive", options.interruptionLevel());
        assertEquals(1.0, options.relevanceScore());
        assertEquals("x", options.targetContentId());
        assertTrue(options.isVisible());
    }

    @Test
    void alertStringIsItsText() {
        assertEquals("hi", PushOptions.parse("{\"alert\":\"hi\"}").alert().text());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1]                          | must be a JSON object",
            "{                            | not JSON",
            "{\"alert\":1}                | alert must be a string or an object",
            "{\"badge\":-1}               | badge must be a non-negative integer",
            "{\"badge\":1.5}              | badge must be a non-negative integer",
            "{\"sound\":{}}               | sound must be a string",
            "{\"contentAvailable\":1}     | contentAvailable must be true or false",
            "{\"data\":[]}                | data must be an object",
            "{\"relevanceScore\":\"hi\"}  | relevanceScore must be a number",
            "{\"alert\":{\"locArgs\":\"a\"}} | locArgs must be an array of strings"})
    void wrongTypesAreRefusedWithAReason(String json, String reason) {
        assertEquals(reason, assertThrows(BadPushOptionsException.class, () -> PushOptions.parse(json)).getMessage());
    }
}
