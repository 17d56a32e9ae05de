package io.tether.chaos.fuzz;

import io.tether.chaos.device.Credentials;
import io.tether.chaos.mqtt.MqttPackets;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Plausible packets of every type a client sends, for MQTT 3.1.1 or 5, with fields drawn from what a device may and
 * may not do (its own topics, other devices', {@code $} topics, wildcards, QoS 3, properties with unknown ids). The
 * fuzzer sends them as they are or damaged by the {@link Mutator}.
 */
public final class PacketFactory {
    /** The packet types generated. */
    public enum Type { CONNECT, PUBLISH, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT, PUBACK, AUTH }

    private static final String[] FILTERS = {"#", "+/+/+", "devices/%s/#", "devices/%s/messages", "devices/other/#", "$SYS/#",
            "$tether/#", "devices/+/messages", "", "devices/%s/#/x", "devices/%s/+/", "a/b\u0000c"};
    private static final String[] TOPICS = {"devices/%s/telemetry", "devices/%s/messages", "devices/other/x", "$tether/lifecycle",
            "$tether/push-token", "$SYS/x", "devices/%s/#", "", "devices/%s/" + "x".repeat(300)};

    private final Random random;

    public PacketFactory(Random random) {
        this.random = random;
    }

    public Type pick() {
        Type[] all = Type.values();
        return all[random.nextInt(all.length)];
    }

    public byte[] make(Type type, int version, Credentials device) {
        return switch (type) {
            case CONNECT -> connect(version, device, random.nextInt(4) != 0);
            case PUBLISH -> MqttPackets.publish(version, topic(device), payload(), random.nextInt(3), 1 + random.nextInt(65535),
                    properties(version));
            case SUBSCRIBE -> MqttPackets.subscribe(version, random.nextInt(65536), filter(device), random.nextInt(4),
                    properties(version));
            case UNSUBSCRIBE -> MqttPackets.unsubscribe(version, 1 + random.nextInt(65535), filter(device));
            case PINGREQ -> MqttPackets.pingreq();
            case DISCONNECT -> version == MqttPackets.V5
                    ? MqttPackets.packet(MqttPackets.DISCONNECT << 4, new byte[] {(byte) random.nextInt(256), 0})
                    : MqttPackets.disconnect(version);
            case PUBACK -> MqttPackets.puback(version, random.nextInt(65536));
            case AUTH -> MqttPackets.packet(0xF0, new byte[] {0x18, 0});
        };
    }

    /** A CONNECT as {@code device} (or with a wrong password), MQTT 5 ones with random properties. */
    public byte[] connect(int version, Credentials device, boolean rightPassword) {
        return MqttPackets.connect(version, device.id(), device.username(), rightPassword ? device.password() : "wrong",
                random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(120), properties(version));
    }

    /**
     * An MQTT 5 property block: mostly real property ids with fitting or unfitting values, sometimes ids that do not
     * exist (0, 0x7F, 0xFF), user properties by the dozen, or a length that overruns.
     */
    byte[] properties(int version) {
        if (version != MqttPackets.V5 || random.nextInt(3) == 0) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            int id = switch (random.nextInt(6)) {
                case 0 -> 0x26; // user property
                case 1 -> 0x11; // session expiry interval
                case 2 -> 0x23; // topic alias
                case 3 -> new int[] {0x00, 0x7F, 0xFF, 0x2B, 0x80}[random.nextInt(5)]; // no such property
                default -> 1 + random.nextInt(0x2A);
            };
            out.write(id);
            int valueLength = random.nextInt(5) == 0 ? random.nextInt(40) : 4;
            if (id == 0x26) {
                MqttPackets.bytes(out, text(random.nextInt(20)).getBytes(StandardCharsets.UTF_8));
                MqttPackets.bytes(out, text(random.nextInt(60)).getBytes(StandardCharsets.UTF_8));
            } else {
                byte[] value = new byte[valueLength];
                random.nextBytes(value);
                out.writeBytes(value);
            }
        }
        return out.toByteArray();
    }

    private String topic(Credentials device) {
        return TOPICS[random.nextInt(TOPICS.length)].replace("%s", device.id());
    }

    private String filter(Credentials device) {
        return FILTERS[random.nextInt(FILTERS.length)].replace("%s", device.id());
    }

    private byte[] payload() {
        byte[] bytes = new byte[random.nextInt(10) == 0 ? random.nextInt(200_000) : random.nextInt(64)];
        random.nextBytes(bytes);
        return bytes;
    }

    private String text(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }
}
