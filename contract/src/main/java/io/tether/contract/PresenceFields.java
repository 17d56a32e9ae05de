package io.tether.contract;

/** Fields of the presence hash ({@link RedisKeys.Device#presence()}). */
public final class PresenceFields {
    public static final String STATE = "state";
    public static final String GATEWAY_ID = "gatewayId";
    public static final String EPOCH = "epoch";
    public static final String SINCE = "since";
    public static final String APP_STATE = "appState";
    /** Epoch millis of the last presence event applied for the device. */
    public static final String LAST_SEEN = "lastSeen";
    /** "1" once the connection has a subscription that receives the device's messages. */
    public static final String RECEIVING = "receiving";

    private PresenceFields() {
    }
}
