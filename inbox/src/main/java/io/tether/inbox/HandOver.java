package io.tether.inbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tether.contract.Json;
import java.util.List;

/**
 * One live hand-over as the inbox scripts publish it on a gateway's delivery channel ({@code dispatch} in lib.lua):
 * entries for one connection of one device, in inbox order.
 *
 * @param deviceId the device
 * @param epoch    the connection they are meant for; another connection of the device must not get them
 * @param entries  in order
 */
public record HandOver(@JsonProperty("d") String deviceId, @JsonProperty("e") long epoch, @JsonProperty("m") List<InboxEntry> entries) {

    /** @throws IllegalArgumentException when the message is not a hand-over */
    public static HandOver parse(String message) {
        HandOver handOver = Json.fromString(message, HandOver.class);
        if (handOver.deviceId() == null || handOver.entries() == null) {
            throw new IllegalArgumentException("not a hand-over");
        }
        return handOver;
    }
}
