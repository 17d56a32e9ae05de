package io.tether.inbox;

import static io.tether.inbox.TestRedis.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.tether.contract.PresenceEvent;
import io.tether.contract.PresenceEvent.Kind;
import io.tether.contract.RedisKeys;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link OrphanedDevices} against a real redis-server: which devices a gone gateway leaves behind. */
class OrphanedDevicesIT extends InboxFixture {

    @Test
    void eachDeviceStillPointingAtTheGoneGatewayGetsADisconnectedOfItsCurrentEpoch() {
        // GIVEN gw-a's device set names three devices: one still there, one that moved to gw-b, one never seen connected
        connect("still", 4, GW_A);
        connect("moved", 2, GW_A);
        connect("moved", 9, GW_B);
        redis.sync().sadd(RedisKeys.gatewayDevices(GW_A), "still", "moved", "unknown");

        List<PresenceEvent> events = join(new OrphanedDevices(redis.async()).of(GW_A, "gateway-lost", 1_234));

        assertEquals(List.of(new PresenceEvent("still", GW_A, 4, Kind.DISCONNECTED, "gateway-lost", 1_234)), events);
    }

    @Test
    void theirDisconnectedMakesThemOfflineAndSoReachableByPushWhileAMovedDeviceStaysLive() {
        register("ios", Devices.TOKEN);
        liveAndReceiving(4, GW_A);
        redis.sync().sadd(RedisKeys.gatewayDevices(GW_A), DEVICE);
        connect("moved", 9, GW_B);
        redis.sync().sadd(RedisKeys.gatewayDevices(GW_A), "moved");
        route(Entries.alert(DEVICE, "m1"));
        assertEquals(List.of("m1"), channels.takeIds(GW_A, DEVICE, 4));

        List<PresenceEvent> events = join(new OrphanedDevices(redis.async()).of(GW_A, "gateway-lost", 1_234));
        assertEquals(List.of(DEVICE), events.stream().map(PresenceEvent::deviceId).toList());
        DeviceInbox.PresenceChange change = join(inbox.presence(events.get(0)));

        assertEquals("OFFLINE", change.state());
        Pump.Push push = assertInstanceOf(Pump.Push.class, change.pump());
        assertEquals("offline", push.reason());
        assertEquals(List.of("m1"), Entries.ids(push.entries()));
        assertEquals("LIVE", redis.sync().hget(RedisKeys.device("moved").presence(), "state"));
    }

    @Test
    void aGatewayWithNoDevicesLeavesNoneBehindAndForgetRemovesItsSet() {
        OrphanedDevices orphans = new OrphanedDevices(redis.async());
        assertEquals(List.of(), join(orphans.of(GW_B, "gateway-lost", 1)));

        connect("a", 1, GW_B);
        connect("b", 1, GW_B);
        redis.sync().sadd(RedisKeys.gatewayDevices(GW_B), "a", "b");
        List<PresenceEvent> events = join(orphans.of(GW_B, "shutdown", 2)).stream()
                .sorted(Comparator.comparing(PresenceEvent::deviceId)).toList();
        assertEquals(List.of("a", "b"), events.stream().map(PresenceEvent::deviceId).toList());

        join(orphans.forget(GW_B));

        assertEquals(0L, redis.sync().exists(RedisKeys.gatewayDevices(GW_B)));
        assertEquals(List.of(), join(orphans.of(GW_B, "shutdown", 3)));
    }

    /** A CONNECTED of registered {@code deviceId} on {@code gatewayId}, applied as the router applies it. */
    private void connect(String deviceId, long epoch, String gatewayId) {
        if (redis.sync().exists(RedisKeys.device(deviceId).record()) == 0) {
            Devices.register(redis.sync(), deviceId, "ios", null);
        }
        join(inbox.presence(new PresenceEvent(deviceId, gatewayId, epoch, Kind.CONNECTED, null, epoch)));
    }
}
