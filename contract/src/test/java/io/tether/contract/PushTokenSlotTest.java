package io.tether.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Token slots and their Redis field names, stored tokens, and the app catalog's lookup. */
class PushTokenSlotTest {

    @Test
    void slotsRoundTripThroughTheirFieldNames() {
        for (PushTokenSlot slot : List.of(PushTokenSlot.VOIP, PushTokenSlot.pushToStart("DeliveryAttributes"),
                PushTokenSlot.liveActivity("5F2A-77.b_c"))) {
            assertEquals(Optional.of(slot), PushTokenSlot.ofField(slot.field()));
        }
        assertEquals("pushToStart:DeliveryAttributes", PushTokenSlot.pushToStart("DeliveryAttributes").field());
        assertEquals("tether:{d:dev-1}:push-tokens", RedisKeys.device("dev-1").pushTokens());
    }

    @Test
    void theAlertTokenHasNoFieldAndUnknownFieldsAreNoSlot() {
        assertThrows(IllegalStateException.class, PushTokenSlot.ALERT::field);
        assertEquals(Optional.empty(), PushTokenSlot.ofField("alert"));
        assertEquals(Optional.empty(), PushTokenSlot.ofField("fax"));
        assertEquals(Optional.empty(), PushTokenSlot.ofField("voip:extra"));
        assertEquals(Optional.empty(), PushTokenSlot.ofField("liveActivity"));
    }

    @Test
    void qualifiersAreRequiredWhereTheyBelongAndSafe() {
        assertThrows(IllegalArgumentException.class, () -> new PushTokenSlot(PushTokenKind.PUSH_TO_START, null));
        assertThrows(IllegalArgumentException.class, () -> new PushTokenSlot(PushTokenKind.VOIP, "x"));
        assertThrows(IllegalArgumentException.class, () -> PushTokenSlot.liveActivity("a:b"));
        assertThrows(IllegalArgumentException.class, () -> PushTokenSlot.liveActivity("x".repeat(129)));
    }

    @Test
    void storedTokensKeepTheirFieldsAndNeverPrintTheToken() {
        StoredPushToken stored = new StoredPushToken("ab".repeat(32), "sandbox", 1_700_000_000_000L, "DeliveryAttributes");
        assertEquals(stored, StoredPushToken.fromJson(stored.toJson()));
        assertTrue(!stored.toString().contains("abab"));
        assertThrows(IllegalArgumentException.class, () -> StoredPushToken.fromJson("{\"environment\":\"sandbox\"}"));
    }

    @Test
    void theCatalogFindsAnAppByIdElseTheCatchAll() {
        PushApp chat = new PushApp("com.example.chat", "chat", "token", List.of("production"), List.of("alert"), List.of("com.example.chat"));
        PushApp any = new PushApp(PushApp.ANY, "local", "token", List.of("production", "sandbox"), List.of("alert", "voip"), List.of());
        assertEquals(Optional.of(chat), PushApp.lookup(Map.of(chat.appId(), chat.toJson()), "com.example.chat"));
        assertEquals(Optional.empty(), PushApp.lookup(Map.of(chat.appId(), chat.toJson()), "com.example.other"));
        assertEquals(Optional.of(any), PushApp.lookup(Map.of(chat.appId(), chat.toJson(), PushApp.ANY, any.toJson()), "com.example.other"));
        assertTrue(any.allowsPushType("voip") && !chat.allowsPushType("voip"));
    }
}
