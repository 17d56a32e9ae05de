package io.tether.gateway.fetch;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** A device's inbox as the HTTPS fetch sees it: read what is pending, acknowledge what was fetched. */
public interface DeviceInbox {

    /** The device's oldest undelivered, unexpired messages, in delivery order, at most {@code limit}. */
    CompletionStage<List<PendingMessage>> pending(String deviceId, int limit);

    /**
     * Acknowledges messages the device fetched: they become {@code delivered} with route {@code fetch} and are never
     * delivered again. Answers, per id, whether it is now delivered (true) or is not a pending or delivered message of
     * this device (false).
     */
    CompletionStage<Map<String, Boolean>> acknowledge(String deviceId, List<String> messageIds);
}
