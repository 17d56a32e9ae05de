package io.tether.gateway.delivery;

import io.tether.contract.PresenceEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A hand-over for a connection this gateway does not hold (it closed, or it was an earlier connection of the device):
 * the device's presence still points here with that epoch, so its DISCONNECTED got lost or never happened (a Kafka
 * outage, a gateway restarted under the same id). Reporting it once per connection puts routing right: the epoch
 * fence ignores it when a newer connection exists. A connection whose DISCONNECTED this gateway has written already
 * needs no report: the hand-over only crossed that event on its way (fanout routed it before reading the event), and
 * fanout re-routes the message when it reads it.
 */
public final class StaleDeliveries {
    private static final int REMEMBERED = 10_000;

    private final String gatewayId;
    private final LongSupplier clock;
    private final Map<String, Boolean> reported = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    public StaleDeliveries(String gatewayId, LongSupplier clock) {
        this.gatewayId = gatewayId;
        this.clock = clock;
    }

    /** The DISCONNECTED to write for a hand-over to a connection not held here; empty if one was written already. */
    public Optional<PresenceEvent> report(String deviceId, long epoch) {
        if (!firstFor(deviceId, epoch)) {
            return Optional.empty();
        }
        return Optional.of(new PresenceEvent(deviceId, gatewayId, epoch, PresenceEvent.Kind.DISCONNECTED, "not-connected",
                clock.getAsLong()));
    }

    /** A presence event Kafka acknowledged: a DISCONNECTED of this gateway needs no report afterwards. */
    public void written(PresenceEvent event) {
        if (event.kind() == PresenceEvent.Kind.DISCONNECTED && gatewayId.equals(event.gatewayId())) {
            firstFor(event.deviceId(), event.epoch());
        }
    }

    private boolean firstFor(String deviceId, long epoch) {
        synchronized (reported) {
            return reported.put(deviceId + ' ' + epoch, Boolean.TRUE) == null;
        }
    }
}
