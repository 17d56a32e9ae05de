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
     * @param epoch         the connection that holds or last held it (0: none, or not known)
     */
    record StoredSession(boolean exists, Map<String, Integer> subscriptions, long epoch) {
        public static final StoredSession NONE = new StoredSession(false, Map.of(), 0);

        public StoredSession(boolean exists, Map<String, Integer> subscriptions) {
            this(exists, subscriptions, 0);
        }
    }

    /**
     * How a connection takes the device's session (after it authenticated).
     *
     * @param cleanStart discard what is stored
     * @param kept       store the session (false: it lasts as long as the connection, nothing is stored)
     * @param expiry     how long it is kept after the connection ends
     * @param found      the epoch of the stored session the CONNECT read ({@link StoredSession#epoch}; 0: none): only
     *                   that session is resumed, the one whose subscriptions the gateway restored
     */
    record SessionClaim(boolean cleanStart, boolean kept, Duration expiry, long found) {
    }

    /**
     * What a new connection's claim found ({@link #open}).
     *
     * @param resumed  it resumed the stored session (Clean Start 0, the session the CONNECT read still there): CONNACK's
     *                 Session Present; false unless HELD
     * @param followed the connection that held the device before it (0: none, or not HELD): this one is the first
     *                 connection after that one, so {@code resumed} decides that one's delayed will [MQTT-3.1.3-9]
     */
    record Opening(Claim claim, boolean resumed, long followed) {
        public static Opening of(Claim claim) {
            return new Opening(claim, false, 0);
        }
    }

    /** How the first connection claimed after a connection took the device's session, as claim.lua recorded it. */
    enum Decision {
        /** It resumed the session: the connection's delayed will is not sent [MQTT-3.1.3-9]. */
        RESUMED,
        /** It began a new session, which ended the connection's: its delayed will goes out (§3.1.2.5). */
        NEW_SESSION,
        /** None recorded: no connection came after it yet, or the record is gone (see {@link WillCheck#holderEpoch}). */
        NONE
    }

    /**
     * What Redis says of a delayed will of a connection.
     *
     * @param decision    what the first connection after it decided
     * @param holderEpoch the newest connection that claimed the device (empty: none known), read before the decision
     */
    record WillCheck(Decision decision, OptionalLong holderEpoch) {
        /** A decision heard of at once (this gateway's claim, or a {@link io.tether.contract.WillNotice}). */
        public static WillCheck decided(boolean resumed) {
            return new WillCheck(resumed ? Decision.RESUMED : Decision.NEW_SESSION, OptionalLong.empty());
        }
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
     * device or its session. Being the first connection after the one it follows, it records whether it resumed that
     * one's session ({@link #willCheck}).
     *
     * @param credentialVersion the version the connection authenticated under
     * @param source            the address the device authenticated from, remembered as its own for {@code sourceTtl}
     */
    CompletionStage<Opening> open(String deviceId, String gatewayId, long epoch, long credentialVersion, String source,
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
     * What decides the delayed will of connection {@code epoch}: how the first connection claimed after it took the
     * session, as claim.lua recorded it, and the newest connection that claimed the device (read first, so that a
     * decision written with a newer owner is never missed).
     */
    CompletionStage<WillCheck> willCheck(String deviceId, long epoch);

    /**
     * Only the decision of {@link #willCheck}, in one read: how the first connection claimed after connection
     * {@code epoch} took the session, {@link Decision#NONE} when none is recorded. Enough to settle a will whose
     * decision was made (a will notice missed); not enough to decide one when its delay is up.
     */
    CompletionStage<Decision> willDecision(String deviceId, long epoch);

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
