package io.tether.gateway.delivery;

import io.tether.contract.PresenceEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A hand-over for a connection this gateway does not hold (it closed, or it was an earlier connection of the device):
 * the device's presence still points here with that epoch, so its DISCONNECTED got lost or never happened (a Kafka
 * outage, a gateway restarted under the same id). Reporting it once per connection puts routing right: the epoch
 * fence ignores it when a newer connection exists.
 */
public final class StaleDeliveries {
    private static final int REMEMBERED = 10_000;

    private final String gatewayId;
    private final Consumer<PresenceEvent> presence;
    private final LongSupplier clock;
    private final Map<String, Boolean> reported = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    public StaleDeliveries(String gatewayId, Consumer<PresenceEvent> presence, LongSupplier clock) {
        this.gatewayId = gatewayId;
        this.presence = presence;
        this.clock = clock;
    }

    public void report(String deviceId, long epoch) {
        synchronized (reported) {
            if (reported.put(deviceId + ' ' + epoch, Boolean.TRUE) != null) {
                return;
            }
        }
        presence.accept(new PresenceEvent(deviceId, gatewayId, epoch, PresenceEvent.Kind.DISCONNECTED, "not-connected", clock.getAsLong()));
    }
}
