package io.tether.gateway.store;

import io.tether.contract.PushTokenSlot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * What the gateway reads and writes in Redis ({@link RedisGatewayStore}); an interface so that the session logic is
 * tested without Redis.
 */
public interface GatewayStore {

    /**
     * What a CONNECT needs of the device, read in one script (see connect.lua).
     *
     * @param secretHash        SHA-256 of the device's MQTT password; empty when it has none (certificate only)
     * @param userId            the device's user, or null
     * @param grants            the device's own grants (filter → actions); its user's come from {@link #userGrants}
     * @param epoch             the new connection's epoch
     * @param credentialVersion the device's credential version now; the connection's claim holds on to it
     * @param session           the device's stored MQTT session, as found
     */
    record ConnectInfo(String secretHash, String userId, Map<String, String> grants, long epoch, long credentialVersion,
            StoredSession session) {
    }

    /** What a claim of a connection found (see claim.lua). */
    enum Claim {
        /** The connection holds the device. */
        HELD,
        /** A newer connection of the device holds it: this one must go (DISCONNECT 0x8E). */
        TAKEN_OVER,
        /** The device was deleted, or its credentials revoked or rotated since the connection authenticated. */
        CREDENTIALS_CHANGED
    }

    /**
     * A device's MQTT session as stored: it exists from a connection that kept it until its expiry after that
     * connection ended.
     *
     * @param subscriptions topic filter → granted QoS, in no particular order
     */
    record StoredSession(boolean exists, Map<String, Integer> subscriptions) {
        public static final StoredSession NONE = new StoredSession(false, Map.of());
    }

    /**
     * How a connection takes the device's session (after it authenticated).
     *
     * @param cleanStart discard what is stored
     * @param kept       store the session (false: it lasts as long as the connection, nothing is stored)
     * @param expiry     how long it is kept after the connection ends
     */
    record SessionClaim(boolean cleanStart, boolean kept, Duration expiry) {
    }

    /**
     * The device's connect-time facts, a new epoch and its stored session; empty when the device is unknown or its
     * credentials are revoked.
     */
    CompletionStage<Optional<ConnectInfo>> connect(String deviceId);

    /**
     * Claims the device for the connection {@code epoch} on {@code gatewayId}, or checks the claim again: tells the
     * gateway of an older connection to close it, and says whether this one still holds and may (see claim.lua). A
     * deleted or revoked device's stored session is deleted with it.
     *
     * @param credentialVersion the version the connection authenticated under; empty when checking an existing claim
     * @param source            the address the device authenticated from, remembered as its own for {@code sourceTtl};
     *                          empty when checking an existing claim
     */
    CompletionStage<Claim> claim(String deviceId, String gatewayId, long epoch, OptionalLong credentialVersion,
            Optional<String> source, Duration sourceTtl);

    /**
     * A new connection's first claim, in one round trip: claims the device as {@link #claim} does and takes its stored
     * session as {@code session} says (see claim.lua). TAKEN_OVER, with nothing written, when a newer connection holds the
     * device or its session.
     *
     * @param credentialVersion the version the connection authenticated under
     * @param source            the address the device authenticated from, remembered as its own for {@code sourceTtl}
     */
    CompletionStage<Claim> open(String deviceId, String gatewayId, long epoch, long credentialVersion, String source,
            Duration sourceTtl, SessionClaim session);

    /** The grants of a user, for every device of the user. */
    CompletionStage<Map<String, String>> userGrants(String userId);

    /** Adds subscriptions (filter → granted QoS) to the stored session; false when connection {@code epoch} no longer holds it. */
    CompletionStage<Boolean> subscribe(String deviceId, long epoch, Map<String, Integer> subscriptions);

    /** Removes subscriptions from the stored session; false when connection {@code epoch} no longer holds it. */
    CompletionStage<Boolean> unsubscribe(String deviceId, long epoch, List<String> filters);

    /** Connection {@code epoch} ended: its session expires after {@code expiry} (zero: now), unless another connection holds it. */
    CompletionStage<Boolean> endSession(String deviceId, long epoch, Duration expiry);

    /**
     * The epoch of the newest connection that claimed the device (claim.lua's owner hash), on any gateway; empty when
     * none is known.
     */
    CompletionStage<OptionalLong> holderEpoch(String deviceId);

    /** The stored SHA-256 of the device's MQTT password, empty when the device is unknown or its credentials revoked. */
    CompletionStage<Optional<String>> secretHash(String deviceId);

    /**
     * Stores (or with a null token removes) a token of any kind the device reported itself; false when the device
     * record is gone. The standard token stays in the device hash, the others go through the registry's script.
     *
     * @throws IllegalStateException in the stage when the device holds too many tokens already
     */
    CompletionStage<Boolean> updatePushToken(String deviceId, PushTokenSlot slot, String token, String environment, String activityType);

    /** Stores a standard push token the device reported itself; false (and nothing written) when the device record is gone. */
    CompletionStage<Boolean> updatePushToken(String deviceId, String token, String environment);

    /**
     * Announces this instance (fanout watches the set) and refreshes its heartbeat; true when the heartbeat had
     * lapsed before this beat (the first beat of an instance, Redis restarted or lost data, or a beat came too late).
     */
    CompletionStage<Boolean> heartbeat(String gatewayId, Duration ttl);

    /**
     * The device subscribed to a granted filter outside its own namespace: it joins the filter's subscriber set, which
     * fanout expands topic messages from. Kept across connections, until the device unsubscribes.
     */
    CompletionStage<Void> subscribedToTopic(String deviceId, String filter);

    /** The device unsubscribed from a granted filter: topic messages no longer reach it through that filter. */
    CompletionStage<Void> unsubscribedFromTopic(String deviceId, String filter);

    CompletionStage<Void> addDevice(String gatewayId, String deviceId);

    CompletionStage<Void> removeDevice(String gatewayId, String deviceId);
}
