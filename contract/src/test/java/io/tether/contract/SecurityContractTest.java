package io.tether.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the registry and the gateways agree on for revocation, takeover and failed authentications. */
class SecurityContractTest {

    @Test
    void theNewDeviceKeysAreDistinctAndInTheDevicesSlot() {
        RedisKeys.Device keys = RedisKeys.device("dev-1");
        List<String> all = List.of(keys.record(), keys.epoch(), keys.presence(), keys.grants(), keys.owner(), keys.authFailures(),
                keys.authOrigins(), keys.willDecisions());
        assertEquals(all.size(), new HashSet<>(all).size(), all.toString());
        for (String key : List.of(keys.owner(), keys.authFailures(), keys.authOrigins(), keys.willDecisions())) {
            assertEquals("tether:{d:dev-1}:", key.substring(0, "tether:{d:dev-1}:".length()), key);
        }
    }

    @Test
    void addressCountersAreSeparatePerDoorAndAddressEachInItsOwnSlot() {
        assertEquals("tether:{af:mqtt:10.0.0.1}", RedisKeys.authFailures("mqtt", "10.0.0.1"));
        assertNotEquals(RedisKeys.authFailures("mqtt", "10.0.0.1"), RedisKeys.authFailures("rest", "10.0.0.1"));
        assertNotEquals(RedisKeys.authFailures("mqtt", "10.0.0.1"), RedisKeys.authFailures("mqtt", "10.0.0.2"));
    }

    @Test
    void controlChannelsAreNotDeliveryChannels() {
        assertEquals("tether:control:gw-a", RedisKeys.controlChannel("gw-a"));
        assertEquals(RedisKeys.CONTROL_CHANNEL_PREFIX + "gw-a", RedisKeys.controlChannel("gw-a"));
        assertNotEquals(RedisKeys.deliverChannel("gw-a"), RedisKeys.controlChannel("gw-a"));
    }

    @Test
    void aTakeoverNoticeReadsBackWhatItWrites() {
        TakeoverNotice notice = new TakeoverNotice("dev-1", 1_700_000_000_123L);
        assertEquals("takeover dev-1 1700000000123", notice.format());
        assertEquals(notice, TakeoverNotice.parse(notice.format()));
    }

    @Test
    void aWillNoticeReadsBackWhatItWritesAndIsNoTakeoverNotice() {
        for (boolean resumed : new boolean[] {true, false}) {
            WillNotice notice = new WillNotice("dev-1", 1_700_000_000_123L, resumed);
            assertEquals(notice, WillNotice.parse(notice.format()));
            assertTrue(WillNotice.isOne(notice.format()));
            assertThrows(IllegalArgumentException.class, () -> TakeoverNotice.parse(notice.format()));
        }
        assertEquals("will dev-1 5 new", new WillNotice("dev-1", 5, false).format());
        assertFalse(WillNotice.isOne(new TakeoverNotice("dev-1", 5).format()));
        for (String malformed : List.of("will", "will dev-1 5", "will dev-1 x new", "will dev-1 5 maybe", "will dev/1 5 new")) {
            assertThrows(IllegalArgumentException.class, () -> WillNotice.parse(malformed), malformed);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "takeover", "takeover dev-1", "takeover dev-1 x", "takeover dev/1 5", "handover dev-1 5",
            "takeover dev-1 5 6", "{\"d\":\"dev-1\",\"e\":5,\"m\":[]}"})
    void anythingElseIsNoTakeoverNotice(String message) {
        assertThrows(IllegalArgumentException.class, () -> TakeoverNotice.parse(message));
    }

    @Test
    void ipv4AddressesCountAsThemselvesAndMappedOnesAsTheirIpv4() throws Exception {
        assertEquals("192.0.2.7", SourceAddress.of("192.0.2.7"));
        assertEquals("192.0.2.7", SourceAddress.of("::ffff:192.0.2.7"));
        assertEquals("192.0.2.7", SourceAddress.of(InetAddress.getByName("192.0.2.7")));
    }

    @Test
    void ipv6AddressesCountByTheirSlash64() {
        String one = SourceAddress.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
        assertEquals("2001:db8:1:2:0:0:0:0/64", one);
        assertEquals(one, SourceAddress.of("2001:db8:1:2::1"));
        assertEquals(one, SourceAddress.of("2001:db8:1:2::1%eth0"));
        assertNotEquals(one, SourceAddress.of("2001:db8:1:3::1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com", "abc", "1.2.3", "1.2.3.4.5", "dead"})
    void whatIsNoAddressLiteralIsUnknownAndNeverLookedUp(String text) {
        assertEquals("unknown", SourceAddress.of(text));
    }

    @Test
    void nullIsUnknown() {
        assertEquals("unknown", SourceAddress.of((String) null));
    }
}
