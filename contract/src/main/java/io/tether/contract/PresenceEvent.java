package io.tether.contract;

import java.util.Objects;

/**
 * What a gateway saw of one device connection, on {@link Topics#PRESENCE} keyed by device id. The
 * epoch identifies the connection: an event of an older epoch never overrides a newer one.
 *
 * @param reason why (for {@link Kind#DISCONNECTED}: clean, closed, refused, takeover, shutdown, gateway-lost); may be null
 * @param at     epoch milliseconds when the gateway saw it
 */
public record PresenceEvent(String deviceId, String gatewayId, long epoch, Kind kind, String reason, long at) {

    public enum Kind {
        /** CONNACK sent: the connection exists. */
        CONNECTED,
        /** The connection subscribed to a filter that receives the device's messages. */
        RECEIVING,
        /** The app said it left the foreground ({@code $tether/lifecycle} = background). */
        BACKGROUND,
        /** The app said it is in the foreground again. */
        FOREGROUND,
        /** A delivery was not acknowledged within the ack deadline: the socket is probably deaf. */
        ACK_TIMEOUT,
        /** After an ACK_TIMEOUT, the device acknowledged again: it reads its socket once more. */
        RESPONSIVE,
        /** The connection is gone. */
        DISCONNECTED,
        /**
         * A gateway found its heartbeat lapsed (Redis restarted or lost data, or the gateway was taken for dead) and
         * states a connection it still holds; the reason is the app state (foreground or background). A RECEIVING
         * follows when the connection has subscribed.
         */
        REASSERTED
    }

    public PresenceEvent {
        DeviceId.requireValid(deviceId);
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(kind, "kind");
    }
}
