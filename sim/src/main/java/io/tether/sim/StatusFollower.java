package io.tether.sim;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/** Asks {@code GET /v1/messages/<id>} again and again, printing the device's status and route each time they change. */
final class StatusFollower {
    private final Api api;
    private final Out out;
    private final Duration patience;

    StatusFollower(Api api, Out out, Duration patience) {
        this.api = api;
        this.out = out;
        this.patience = patience;
    }

    /** The first status that satisfies {@code done}, or the last one seen when the patience ran out. */
    Api.Status follow(String messageId, String deviceId, Predicate<Api.Status> done) {
        Api.Status[] last = {null};
        return Waits.until(() -> {
            Api.Status now = api.status(messageId, deviceId);
            if (!Objects.equals(now, last[0])) {
                out.event("tether", messageId + " " + now);
                last[0] = now;
            }
            return now;
        }, done, patience);
    }
}
