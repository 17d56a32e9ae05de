package io.tether.contract;

/**
 * Redis key builders. Everything about one device shares the hash tag {@code {d:<id>}} so a Lua script
 * may touch all of it on one Redis Cluster node; nothing on a hot path scans across devices.
 */
public final class RedisKeys {
    private static final String PREFIX = "tether:";

    private RedisKeys() {
    }

    /** Keys of one device. */
    public record Device(String id) {
        public Device {
            DeviceId.requireValid(id);
        }

        private String base() {
            return PREFIX + "{d:" + id + "}:";
        }

        /** Hash: the registry's record of the device ({@link DeviceFields}). */
        public String record() {
            return base() + "device";
        }

        /** Counter: the last connection epoch handed out. */
        public String epoch() {
            return base() + "epoch";
        }

        /** Hash: presence ({@link PresenceFields}). */
        public String presence() {
            return base() + "presence";
        }

        /** Sorted set: undelivered message ids ordered by per-device sequence. */
        public String inbox() {
            return base() + "inbox";
        }

        /** Hash: message id to the stored delivery of each inbox entry. */
        public String inboxData() {
            return base() + "inbox:data";
        }

        /** Hash: inbox bookkeeping (sequence counter, byte count, dispatch cursor). */
        public String inboxMeta() {
            return base() + "inbox:meta";
        }

        /** Hash: topic filter to granted actions ("subscribe", "publish" or "subscribe,publish"), for this device. */
        public String grants() {
            return base() + "grants";
        }

        /**
         * Hash: the device's MQTT session that outlives a connection: {@code epoch} of the connection that holds it,
         * {@code expiry} (seconds it is kept after that connection ends) and one field {@code s:<filter>} per
         * subscription with the granted QoS. While a connection holds it, a long TTL refreshed at every change bounds
         * what a crashed gateway leaves; when the connection ends it expires after {@code expiry} (see the gateway's
         * connect.lua, claim.lua and session.lua).
         */
        public String session() {
            return base() + "session";
        }

        /**
         * Hash: the connection that holds the device now ({@code gatewayId}, {@code epoch}, and the
         * {@code credentialVersion} it authenticated under), claimed by the gateway after CONNECT. A newer claim tells
         * the gateway of the older connection to close it (session takeover across gateways).
         */
        public String owner() {
            return base() + "owner";
        }

        /**
         * Hash with a TTL: per connection epoch e, how the first connection claimed after e took the device's session
         * ({@code resumed} or {@code new}), which decides e's delayed will [MQTT-3.1.3-9]; written once by the gateway's
         * claim.lua, read when a will's delay is up by a gateway that missed the {@link WillNotice}. The latest few only.
         */
        public String willDecisions() {
            return base() + "will-decisions";
        }

        /** Hash with a TTL: failed CONNECTs with this client id ({@code failures}, {@code blockedUntil}). */
        public String authFailures() {
            return base() + "auth-failures";
        }

        /** Sorted set with a TTL: source addresses the device authenticated from lately, by the time of the last success. */
        public String authOrigins() {
            return base() + "auth-origins";
        }

        /**
         * Hash: the device's tokens other than the standard one ({@link PushTokenSlot#field()} →
         * {@link StoredPushToken} JSON). The standard token stays in {@link #record()} ({@link DeviceFields#PUSH_TOKEN}).
         */
        public String pushTokens() {
            return base() + "push-tokens";
        }

        /** Hash: delivery status of one message for this device. */
        public String status(String messageId) {
            return base() + "status:" + messageId;
        }
    }

    public static Device device(String id) {
        return new Device(id);
    }

    /** Hash: what was accepted (acceptedAt, expiresAt, target). Tagged by message id. */
    public static String message(String messageId) {
        return PREFIX + "{m:" + messageId + "}:message";
    }

    /** Set: the device ids a message was expanded to. Tagged by message id. */
    public static String messageDevices(String messageId) {
        return PREFIX + "{m:" + messageId + "}:devices";
    }

    /** Set: the device ids of a user. */
    public static String userDevices(String userId) {
        return PREFIX + "{u:" + userId + "}:devices";
    }

    /**
     * Sorted set (every score 0, so members are in id order for ZRANGEBYLEX paging): the device ids of an app.
     * Kept with the record in one Lua script by the registry.
     */
    public static String appDevices(String appId) {
        return PREFIX + "{a:" + appId + "}:devices";
    }

    /** Sorted set (scores 0, id order): the device ids of one platform ({@link Platform#wire()}). */
    public static String platformDevices(Platform platform) {
        return PREFIX + "{p:" + platform.wire() + "}:devices";
    }

    /** Sorted set (scores 0, id order): every registered device id, for listing devices page by page. */
    public static String allDevices() {
        return PREFIX + "devices";
    }

    /** Hash: topic filter to granted actions, for every device of a user. */
    public static String userGrants(String userId) {
        return PREFIX + "{u:" + userId + "}:grants";
    }

    /** Pub/sub channel: device ids whose credentials were revoked or rotated; gateways drop their cached checks and connections. */
    public static String credentialChanges() {
        return PREFIX + "credential-changes";
    }

    /**
     * Pub/sub channels {@code <prefix><gatewayId>}: the inbox scripts publish each live hand-over on the channel of
     * the gateway holding the connection (see the inbox module). Channels are not keys: no hash tag.
     */
    public static final String DELIVER_CHANNEL_PREFIX = PREFIX + "deliver:";

    /** The delivery channel of one gateway instance. */
    public static String deliverChannel(String gatewayId) {
        return DELIVER_CHANNEL_PREFIX + gatewayId;
    }

    /**
     * Pub/sub channel of one gateway instance for what concerns the sessions it holds: takeover notices
     * ({@link TakeoverNotice}) and how a will held there was decided ({@link WillNotice}). Not the delivery channel: a
     * notice must never count as a hand-over.
     */
    public static String controlChannel(String gatewayId) {
        return CONTROL_CHANNEL_PREFIX + gatewayId;
    }

    /** Prefix of {@link #controlChannel}; the claim script appends the gateway id. */
    public static final String CONTROL_CHANNEL_PREFIX = PREFIX + "control:";

    /**
     * Hash with a TTL: failed authentications from one source address ({@link SourceAddress}) at one door
     * ({@code mqtt} or {@code rest}): {@code failures}, {@code blockedUntil}, {@code bannedUntil}. Counted by every
     * instance, so limits hold however many replicas run.
     */
    public static String authFailures(String door, String sourceAddress) {
        return PREFIX + "{af:" + door + ":" + sourceAddress + "}";
    }

    /** String with a TTL: present while the gateway instance is alive. */
    public static String gatewayHeartbeat(String gatewayId) {
        return PREFIX + "{gw:" + gatewayId + "}:alive";
    }

    /** Set: the devices connected to a gateway instance, so that its death can be handled without scanning devices. */
    public static String gatewayDevices(String gatewayId) {
        return PREFIX + "{gw:" + gatewayId + "}:devices";
    }

    /** Set: gateway instances that started and whose end has not been handled yet. */
    public static String gateways() {
        return PREFIX + "gateways";
    }

    /** Sorted sets: (device id, message id) by expiry time, spread over {@code shards} keys so no single key is hot. */
    public static String expiryShard(int shard) {
        return PREFIX + "{expiry:" + shard + "}";
    }

    /** The expiry shard a device's messages are indexed in. */
    public static int expiryShardOf(String deviceId, int shards) {
        return Math.floorMod(deviceId.hashCode(), shards);
    }

    /**
     * Set: the devices that subscribed to a topic filter outside their own namespace (granted filters), written by the
     * gateway on SUBSCRIBE and UNSUBSCRIBE and kept across connections; fanout expands topic messages from it.
     */
    public static String topicSubscribers(String filter) {
        return PREFIX + "{tf:" + filter + "}:devices";
    }

    /** Set: every topic filter that has (or had) subscribers in {@link #topicSubscribers}. */
    public static String topicFilters() {
        return PREFIX + "topic-filters";
    }

    /** Hash: an app's quotas ({@link QuotaFields}); none set means unlimited. */
    public static String appQuota(String appId) {
        return PREFIX + "{a:" + appId + "}:quota";
    }

    /** Counter: messages an app sent in one second (epoch seconds), expiring soon after. */
    public static String appMessagesInSecond(String appId, long epochSecond) {
        return PREFIX + "{a:" + appId + "}:sent:s:" + epochSecond;
    }

    /** Counter: messages an app sent on one UTC day ({@code yyyy-MM-dd}), expiring the day after. */
    public static String appMessagesOnDay(String appId, String utcDay) {
        return PREFIX + "{a:" + appId + "}:sent:d:" + utcDay;
    }

    /** Hash: app id → {@link PushApp} JSON, the apps push-service holds APNs credentials for (it rewrites it at start). */
    public static String pushApps() {
        return PREFIX + "push-apps";
    }

    /** Hash: an uploaded attachment body (size, sha256, contentType, name, createdAt). Tagged by attachment id. */
    public static String attachment(String attachmentId) {
        return PREFIX + "{att:" + attachmentId + "}:attachment";
    }

    /** Sorted set: attachment ids by the epoch millis after which their bodies are deleted from object storage. */
    public static String attachmentExpiry() {
        return PREFIX + "attachments:expiry";
    }

    /** Hash: a backend API key, by the SHA-256 of the key. */
    public static String apiKey(String sha256Hex) {
        return PREFIX + "apikey:" + sha256Hex;
    }

    /** Hash: API key id to the hex SHA-256 of the key, so keys can be listed and deleted by id. */
    public static String apiKeyIds() {
        return PREFIX + "apikeys";
    }

    /** Hash: API key name to key id; names are unique. */
    public static String apiKeyNames() {
        return PREFIX + "apikey-names";
    }
}
