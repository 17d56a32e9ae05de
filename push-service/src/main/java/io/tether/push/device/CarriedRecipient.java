package io.tether.push.device;

import io.tether.contract.PushRecipient;
import io.tether.contract.PushRequest;
import io.tether.contract.PushTokenSlot;
import io.tether.push.apns.ApnsEnvironment;
import java.util.Optional;

/**
 * Whether a push may go to the token fanout carried in its request ({@link PushRecipient}) instead of the one the
 * registry holds now: fanout read it while routing, normally milliseconds before the send, which saves a registry read
 * per push. Seconds, so that a burst push-service drains within seconds (many devices going deaf at once) still
 * saves it; a request that waited longer (a backlog behind a restart or an APNs outage) reads the registry, where a
 * device deleted or re-registered meanwhile shows.
 */
public final class CarriedRecipient {
    /** How far from now (either way: two machines' clocks) fanout's read of the token may lie. */
    public static final long MAX_AGE_MS = 5_000;

    private CarriedRecipient() {
    }

    /**
     * The carried token as a target when the push needs the device's standard token and the token was read within
     * {@link #MAX_AGE_MS} of {@code now}; empty otherwise (read the registry).
     */
    public static Optional<PushTarget> target(PushRequest request, PushTokenSlot slot, long now) {
        PushRecipient recipient = request.recipient();
        if (recipient == null || !PushTokenSlot.ALERT.equals(slot) || recipient.token() == null || recipient.token().isEmpty()
                || Math.abs(now - recipient.readAt()) > MAX_AGE_MS) {
            return Optional.empty();
        }
        return Optional.of(new PushTarget(request.deviceId(), recipient.platform(), recipient.appId(), PushTokenSlot.ALERT,
                recipient.token(), ApnsEnvironment.ofDevice(recipient.environment()), recipient.tokenUpdatedAt()));
    }
}
