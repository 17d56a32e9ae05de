package io.tether.contract;

/**
 * What a gateway is told on its {@link RedisKeys#controlChannel control channel} when a newer connection of a device it
 * holds was claimed elsewhere: close yours if its epoch is older than {@code epoch} (MQTT 5: DISCONNECT 0x8E). Written
 * by the gateway's claim script as {@code takeover <deviceId> <epoch>}.
 */
public record TakeoverNotice(String deviceId, long epoch) {
    private static final String KIND = "takeover";

    public TakeoverNotice {
        DeviceId.requireValid(deviceId);
    }

    public String format() {
        return KIND + " " + deviceId + " " + epoch;
    }

    /** @throws IllegalArgumentException when the message is not a takeover notice */
    public static TakeoverNotice parse(String message) {
        String[] parts = message == null ? new String[0] : message.split(" ");
        if (parts.length != 3 || !parts[0].equals(KIND)) {
            throw new IllegalArgumentException("not a takeover notice");
        }
        try {
            return new TakeoverNotice(parts[1], Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a takeover notice");
        }
    }
}
