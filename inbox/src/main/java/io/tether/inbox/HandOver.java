package io.tether.inbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tether.contract.Json;
import java.util.List;

/**
 * One live hand-over as the inbox scripts publish it on a gateway's delivery channel ({@code dispatch} in lib.lua):
 * entries for one connection of one device, in inbox order.
 *
 * @param deviceId  the device
 * @param epoch     the connection they are meant for; another connection of the device must not get them
 * @param entries   in order
 * @param sequences each entry's sequence number in the inbox (null from a script older than them)
 * @param attempts  how often each entry was handed over before this one (null from a script older than them)
 */
public record HandOver(@JsonProperty("d") String deviceId, @JsonProperty("e") long epoch, @JsonProperty("m") List<InboxEntry> entries,
        @JsonProperty("s") List<Long> sequences, @JsonProperty("a") List<Integer> attempts) {

    /** A hand-over that tells nothing of its entries but the entries. */
    public HandOver(String deviceId, long epoch, List<InboxEntry> entries) {
        this(deviceId, epoch, entries, null, null);
    }

    /**
     * The sequence number of entry {@code i}: it stays with the entry until it leaves the inbox, and grows from 1 in the
     * order entries were queued. 0 when the hand-over does not tell.
     */
    public long sequence(int i) {
        return sequences == null || i >= sequences.size() || sequences.get(i) == null ? 0 : sequences.get(i);
    }

    /**
     * How often entry {@code i} was handed over before: from 1 on, a gateway may have written it to the device already.
     * 0 when the hand-over does not tell.
     */
    public int earlierAttempts(int i) {
        return attempts == null || i >= attempts.size() || attempts.get(i) == null ? 0 : attempts.get(i);
    }

    /** @throws IllegalArgumentException when the message is not a hand-over */
    public static HandOver parse(String message) {
        HandOver handOver = Json.fromString(message, HandOver.class);
        if (handOver.deviceId() == null || handOver.entries() == null) {
            throw new IllegalArgumentException("not a hand-over");
        }
        return handOver;
    }
}
