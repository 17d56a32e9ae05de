package io.tether.gateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.contract.PresenceEvent;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StaleDeliveriesTest {
    private final StaleDeliveries stale = new StaleDeliveries("gw-a", () -> 42L);

    @Test
    void aHandOverToAConnectionNotHeldHereIsReportedOnceAsDisconnected() {
        Optional<PresenceEvent> first = stale.report("d1", 7);

        assertEquals(Optional.of(new PresenceEvent("d1", "gw-a", 7, PresenceEvent.Kind.DISCONNECTED, "not-connected", 42L)), first);
        assertTrue(stale.report("d1", 7).isEmpty(), "a second hand-over to the same connection is not reported again");
        assertTrue(stale.report("d1", 8).isPresent(), "another connection of the device is reported on its own");
    }

    @Test
    void aConnectionWhoseDisconnectedThisGatewayWroteIsNotReportedAgain() {
        stale.written(new PresenceEvent("d1", "gw-a", 7, PresenceEvent.Kind.DISCONNECTED, "shutdown", 1L));

        assertTrue(stale.report("d1", 7).isEmpty());
        assertTrue(stale.report("d1", 6).isPresent(), "only the epoch whose DISCONNECTED was written");
    }

    @Test
    void otherPresenceEventsAndOtherGatewaysDisconnectsDoNotSilenceAReport() {
        stale.written(new PresenceEvent("d1", "gw-a", 7, PresenceEvent.Kind.CONNECTED, null, 1L));
        stale.written(new PresenceEvent("d2", "gw-b", 3, PresenceEvent.Kind.DISCONNECTED, "clean", 1L));

        assertTrue(stale.report("d1", 7).isPresent());
        assertTrue(stale.report("d2", 3).isPresent());
    }
}
