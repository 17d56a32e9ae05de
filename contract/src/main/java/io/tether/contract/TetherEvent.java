package io.tether.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * What happened to a device, as backends see it: on {@link Topics#EVENTS} (key: device id) and as the body of a
 * webhook, in the Standard Webhooks shape {@code {"id", "type", "timestamp", "data"}}. The id is derived from what
 * the event says, so an event written twice (a writer retried it) has the same id and consumers can drop the second.
 *
 * @param type      {@link #MESSAGE_STATUS} or {@link #DEVICE_PRESENCE}
 * @param timestamp when it happened, ISO-8601 UTC
 */
public record TetherEvent(String id, String type, String timestamp, Data data) {
    public static final String MESSAGE_STATUS = "message.status";
    public static final String DEVICE_PRESENCE = "device.presence";

    /**
     * The event's facts; fields that do not apply to its type are absent.
     *
     * @param appId     the device's app; added by webhook-service (absent on the Kafka topic, but for the last presence
     *                  event of a device deleted while connected: its record, where the app is read, is gone)
     * @param status    queued, pushed, delivered, expired or failed (message.status)
     * @param reason    why it failed or expired (message.status), e.g. ttl, inbox-overflow, no-subscription
     * @param route     live, push, inbox or fetch: the way it last took (message.status), when known
     * @param state     LIVE, BACKGROUND, SUSPECT or OFFLINE (device.presence)
     * @param appState  foreground or background, as the app last said (device.presence)
     * @param since     epoch millis the device is in this state since (device.presence)
     * @param gatewayId the gateway instance of the connection (device.presence)
     * @param epoch     the connection's epoch: the version of presence; a higher epoch is a newer connection, and
     *                  within one epoch {@code since} orders the changes (device.presence)
     * @param at        epoch millis of the change
     */
    public record Data(String deviceId, String appId, String messageId, String status, String reason, String route,
            String state, String appState, Long since, String gatewayId, Long epoch, long at) {

        public Data withAppId(String appId) {
            return new Data(deviceId, appId, messageId, status, reason, route, state, appState, since, gatewayId, epoch, at);
        }
    }

    /** A message's status for one device changed. */
    public static TetherEvent status(String deviceId, String messageId, String status, String reason, String route, long at) {
        return new TetherEvent(id("s", deviceId, messageId, status), MESSAGE_STATUS, Instant.ofEpochMilli(at).toString(),
                new Data(deviceId, null, messageId, status, reason, route, null, null, null, null, null, at));
    }

    /** Fanout settled a device's presence on a new state (after epochs, deaf detection, dead gateways). */
    public static TetherEvent presence(String deviceId, String state, String appState, long since, String gatewayId, long epoch) {
        return new TetherEvent(id("p", deviceId, Long.toString(epoch), state, Long.toString(since)), DEVICE_PRESENCE,
                Instant.ofEpochMilli(since).toString(),
                new Data(deviceId, null, null, null, null, null, state, appState, since, gatewayId, epoch, since));
    }

    public TetherEvent withAppId(String appId) {
        return new TetherEvent(id, type, timestamp, data.withAppId(appId));
    }

    public String deviceId() {
        return data.deviceId();
    }

    /** {@code evt_} and 32 hex digits of a SHA-256 over the facts that make the event what it is. */
    private static String id(String... facts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest(String.join("\n", facts).getBytes(StandardCharsets.UTF_8));
            return "evt_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
