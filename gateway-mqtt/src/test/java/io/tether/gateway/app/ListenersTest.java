package io.tether.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListenersTest {

    @Test
    void tls12And13AreServed() {
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), Listeners.protocols(List.of("TLSv1.3", "TLSv1.2")));
    }

    @Test
    void anythingOlderStopsTheGatewayAtStart() {
        for (String old : List.of("TLSv1.1", "TLSv1", "SSLv3")) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Listeners.protocols(List.of("TLSv1.2", old)));
            assertEquals("tether.mqtt.tls.protocols: " + old + " is not allowed (TLSv1.2, TLSv1.3)", refused.getMessage());
        }
    }
}
