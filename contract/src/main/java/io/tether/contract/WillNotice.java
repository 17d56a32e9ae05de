package io.tether.contract;

/**
 * What a gateway is told on its {@link RedisKeys#controlChannel control channel} when the first connection claimed after
 * its connection {@code epoch} of a device was claimed elsewhere: that connection resumed the session ({@code resumed}:
 * the delayed will of {@code epoch} is not sent, [MQTT-3.1.3-9]) or began a new one (the will's session ended: it is
 * sent now). Written by the gateway's claim script as {@code will <deviceId> <epoch> resumed|new}, right after the
 * {@link TakeoverNotice}; a message of its own so that gateways that know only takeover notices still read those.
 */
public record WillNotice(String deviceId, long epoch, boolean resumed) {
    private static final String KIND = "will";

    public WillNotice {
        DeviceId.requireValid(deviceId);
    }

    public String format() {
        return KIND + " " + deviceId + " " + epoch + " " + (resumed ? "resumed" : "new");
    }

    /** Whether {@code message} is meant as a will notice (well formed or not). */
    public static boolean isOne(String message) {
        return message != null && message.startsWith(KIND + " ");
    }

    /** @throws IllegalArgumentException when the message is not a will notice */
    public static WillNotice parse(String message) {
        String[] parts = message == null ? new String[0] : message.split(" ");
        if (parts.length != 4 || !parts[0].equals(KIND) || !(parts[3].equals("resumed") || parts[3].equals("new"))) {
            throw new IllegalArgumentException("not a will notice");
        }
        try {
            return new WillNotice(parts[1], Long.parseLong(parts[2]), parts[3].equals("resumed"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a will notice");
        }
    }
}
