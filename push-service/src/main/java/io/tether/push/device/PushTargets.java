package io.tether.push.device;

import io.tether.contract.PushTokenSlot;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The registry's devices as the push pipeline reads and prunes them: {@link DeviceStore} (Redis) in production.
 * A failed stage means the registry could not be reached (the caller retries).
 */
public interface PushTargets {

    /** The device with its token of {@code slot}; empty when the registry has no such device. */
    CompletionStage<Optional<PushTarget>> find(String deviceId, PushTokenSlot slot);

    /**
     * Removes a token APNs called dead, unless it was registered again since.
     *
     * @param invalidatedAt APNs' token-invalidation timestamp, when the answer carried one
     * @return whether the token was removed
     */
    CompletionStage<Boolean> invalidateToken(String deviceId, PushTokenSlot slot, String token, Optional<Instant> invalidatedAt);
}
