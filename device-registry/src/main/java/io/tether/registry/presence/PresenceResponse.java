package io.tether.registry.presence;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tether.contract.PresenceFields;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A device's presence as fanout settled it. Times are epoch millis.
 *
 * @param state     LIVE (connected, app in the foreground), BACKGROUND (connected, app said it left the foreground),
 *                  SUSPECT (a delivery went unacknowledged: the socket is probably deaf), OFFLINE
 * @param appState  foreground or background, as the app last said
 * @param since     when it entered this state
 * @param lastSeen  when the last presence event for it was applied
 * @param gatewayId the gateway instance holding (or that last held) its connection
 * @param epoch     the connection's epoch: a higher one is a newer connection
 * @param receiving whether the connection subscribed to its messages (live delivery happens only then)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A device's presence as fanout settled it; times are epoch millis")
public record PresenceResponse(String deviceId, String state, String appState, Long since, Long lastSeen, String gatewayId,
        Long epoch, Boolean receiving) {

    static PresenceResponse of(String deviceId, Map<String, String> hash) {
        if (hash.isEmpty() || hash.get(PresenceFields.STATE) == null) {
            return new PresenceResponse(deviceId, "OFFLINE", null, null, null, null, null, false);
        }
        return new PresenceResponse(deviceId, hash.get(PresenceFields.STATE), hash.get(PresenceFields.APP_STATE),
                millis(hash.get(PresenceFields.SINCE)), millis(hash.get(PresenceFields.LAST_SEEN)), hash.get(PresenceFields.GATEWAY_ID),
                millis(hash.get(PresenceFields.EPOCH)), "1".equals(hash.get(PresenceFields.RECEIVING)));
    }

    private static Long millis(String value) {
        return value == null || value.isEmpty() ? null : Long.valueOf(value);
    }
}
