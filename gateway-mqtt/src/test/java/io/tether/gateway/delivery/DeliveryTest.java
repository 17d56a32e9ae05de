package io.tether.gateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.inbox.HandOver;
import io.tether.inbox.InboxEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a delivery takes from its hand-over: the packet identifier its inbox number gives, and whether it was sent before. */
class DeliveryTest {
    private static InboxEntry entry(String id) {
        return new InboxEntry(id, "devices/d1/messages", new byte[0], null, 1, 0, 0, null, null, null);
    }

    @Test
    void thePacketIdIsTheInboxNumberWrappedIntoOneTo65535() {
        assertEquals(List.of(0, 1, 65_535, 1, 2), List.of(Delivery.packetId(0), Delivery.packetId(1), Delivery.packetId(65_535),
                Delivery.packetId(65_536), Delivery.packetId(65_537)));
    }

    @Test
    void aHandOverTellsEachEntrysNumberAndWhetherItWasHandedOverBefore() {
        HandOver handOver = new HandOver("d1", 7, List.of(entry("m1"), entry("m2")), List.of(10L, 11L), List.of(0, 3));

        Delivery first = Delivery.of(handOver, 0);
        Delivery second = Delivery.of(handOver, 1);

        assertEquals(10, first.packetId());
        assertFalse(first.sentBefore());
        assertEquals(11, second.packetId());
        assertTrue(second.sentBefore());
    }

    @Test
    void aHandOverFromAnOlderScriptLeavesThePacketIdToTheConnection() {
        HandOver old = HandOver.parse("{\"d\":\"d1\",\"e\":7,\"m\":[" + entry("m1").toJson() + "]}");

        Delivery delivery = Delivery.of(old, 0);

        assertEquals(0, delivery.packetId());
        assertFalse(delivery.sentBefore());
    }
}
