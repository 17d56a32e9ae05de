package io.tether.inbox;

import static io.tether.inbox.TestRedis.join;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.contract.PresenceEvent;
import io.tether.contract.PresenceEvent.Kind;
import io.tether.contract.PresenceFields;
import io.tether.contract.RedisKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the inbox ITs share: a real redis-server per test class, emptied before each test; gateways gw-a and gw-b
 * listening on their delivery channels; a clock the test moves; one device and ways to look at its keys.
 */
abstract class InboxFixture {
    static final String DEVICE = "dev-1";
    static final RedisKeys.Device KEYS = RedisKeys.device(DEVICE);
    static final String GW_A = "gw-a";
    static final String GW_B = "gw-b";
    static final long STATUS_TTL = 600;
    static final long FINAL_TTL = 120;
    static final long OPEN_TTL = 3_600;
    static final long NUDGE_INTERVAL = 60_000;

    @TempDir
    static Path dir;

    static TestRedis redis;
    static GatewayChannels channels;

    final AtomicLong clock = new AtomicLong(Entries.T0);
    DeviceInbox inbox;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start(dir);
        channels = GatewayChannels.open(redis.client());
    }

    @AfterAll
    static void stopRedis() {
        channels.close();
        redis.close();
    }

    @BeforeEach
    void cleanRedis() {
        redis.flush();
        channels.listen(GW_A, GW_B);
        channels.take(GW_A);
        channels.take(GW_B);
        inbox = inbox(100, 1_000_000, 10);
    }

    /** An inbox with these bounds and window, the tests' clock and the standard routing policy. */
    DeviceInbox inbox(int maxMessages, long maxBytes, int window) {
        return new DeviceInbox(redis.async(), new InboxSettings(maxMessages, maxBytes, window, NUDGE_INTERVAL, OPEN_TTL, FINAL_TTL),
                RoutingPolicy.standard(), clock::get);
    }

    static void register(String platform, String pushToken) {
        Devices.register(redis.sync(), DEVICE, platform, pushToken);
    }

    DeviceInbox.Routed route(InboxEntry entry) {
        return join(inbox.route(DEVICE, entry, STATUS_TTL));
    }

    /** Routes data-only messages and checks each was queued. */
    void routeData(String... messageIds) {
        for (String id : messageIds) {
            DeviceInbox.Routed routed = route(Entries.data(DEVICE, id));
            if (!routed.queuedNow()) {
                throw new AssertionError(id + " was not queued: " + routed);
            }
        }
    }

    DeviceInbox.PresenceChange presence(Kind kind, long epoch, String gatewayId) {
        return presence(kind, epoch, gatewayId, null, clock.get());
    }

    DeviceInbox.PresenceChange presence(Kind kind, long epoch, String gatewayId, String reason, long at) {
        return join(inbox.presence(new PresenceEvent(DEVICE, gatewayId, epoch, kind, reason, at)));
    }

    /** CONNECTED and RECEIVING of connection {@code epoch} on {@code gatewayId}. */
    void liveAndReceiving(long epoch, String gatewayId) {
        presence(Kind.CONNECTED, epoch, gatewayId);
        presence(Kind.RECEIVING, epoch, gatewayId);
    }

    /**
     * Brings the device to {@code state} through real events of connection {@code epoch} on {@code gatewayId}: NEVER
     * (none), CONNECTED (live, not subscribed yet), or LIVE, BACKGROUND, SUSPECT, OFFLINE after subscribing.
     */
    void reach(String state, long epoch, String gatewayId) {
        switch (state) {
            case "NEVER" -> { }
            case "CONNECTED" -> presence(Kind.CONNECTED, epoch, gatewayId);
            default -> {
                liveAndReceiving(epoch, gatewayId);
                switch (state) {
                    case "LIVE" -> { }
                    case "BACKGROUND" -> presence(Kind.BACKGROUND, epoch, gatewayId);
                    case "SUSPECT" -> presence(Kind.ACK_TIMEOUT, epoch, gatewayId);
                    case "OFFLINE" -> presence(Kind.DISCONNECTED, epoch, gatewayId);
                    default -> throw new IllegalArgumentException(state);
                }
                assertEquals(state, presenceRecord().get(PresenceFields.STATE));
            }
        }
    }

    DeviceInbox.Acked ack(String messageId, long epoch, String gatewayId) {
        return join(inbox.acknowledge(DEVICE, messageId, "delivered", null, epoch, gatewayId));
    }

    static Map<String, String> status(String messageId) {
        return redis.sync().hgetall(KEYS.status(messageId));
    }

    static String meta(String field) {
        return redis.sync().hget(KEYS.inboxMeta(), field);
    }

    static List<String> queued() {
        return redis.sync().zrange(KEYS.inbox(), 0, -1);
    }

    static Map<String, String> presenceRecord() {
        return redis.sync().hgetall(KEYS.presence());
    }

    /** A pump result in a few words: "live 2", "push offline", "hold policy". */
    static String describe(Pump pump) {
        if (pump instanceof Pump.Live live) {
            return "live " + live.handedOver();
        }
        if (pump instanceof Pump.Push push) {
            return "push " + push.reason();
        }
        return "hold " + ((Pump.Hold) pump).why();
    }
}
