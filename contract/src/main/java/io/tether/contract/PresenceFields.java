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
    /**
     * Set by device-registry when it deletes a device that is not OFFLINE: the state it was in. The hash then stays
     * (expiring) as the deleted device's tombstone, until a DISCONNECTED of its connection gives backends its last
     * presence change, OFFLINE (fanout's presence.lua).
     */
    public static final String DELETED_WHILE = "deletedWhile";
    /** On a deleted device's tombstone: its app, for that last event (the record that named it is gone). */
    public static final String APP_ID = "appId";
    /** On a deleted device's tombstone: the time of the DISCONNECTED that settled it (the same event read again repeats it). */
    public static final String FINAL_AT = "finalAt";

    private PresenceFields() {
    }
}
