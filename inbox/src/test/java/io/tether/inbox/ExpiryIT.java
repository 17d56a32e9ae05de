package io.tether.inbox;

import static io.tether.inbox.TestRedis.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * expire.lua through {@link DeviceInbox#expire} (what the expiry sweep runs for a device it found due), and the
 * expiry-index time route.lua answers, against a real redis-server.
 */
class ExpiryIT extends InboxFixture {

    @Test
    void theSweepExpiresDueEntriesAnywhereInTheInboxAndTellsWhenTheNextIsDue() {
        register("ios", null);
        routeExpiring("a", 1_000);
        routeExpiring("b", 5_000);
        routeExpiring("c", 3_000);
        routeExpiring("d", Entries.HOUR);
        clock.set(Entries.T0 + 3_000);

        DeviceInbox.Expired expired = join(inbox.expire(DEVICE));

        assertEquals(new DeviceInbox.Expired(2, Entries.T0 + 5_000, List.of("a", "c")), expired);
        assertEquals(List.of("b", "d"), queued());
        for (String id : List.of("a", "c")) {
            assertEquals("expired", status(id).get("status"), id);
            assertEquals("ttl", status(id).get("reason"), id);
            assertFalse(redis.sync().hexists(KEYS.inboxData(), id), id);
        }
        assertEquals("queued", status("b").get("status"));
        assertEquals(Long.toString(2 * "data-x".length()), meta("bytes"));
        assertEquals(Long.toString(Entries.T0 + 5_000), meta("expiryAt"));
    }

    @Test
    void entriesInFlightExpireTooAndALateAckDoesNotReviveThem() {
        register("ios", null);
        liveAndReceiving(7, GW_A);
        routeExpiring("a", 1_000);
        assertEquals(List.of("a"), channels.takeIds(GW_A, DEVICE, 7));
        clock.set(Entries.T0 + 1_000);

        assertEquals(new DeviceInbox.Expired(1, 0, List.of("a")), join(inbox.expire(DEVICE)));

        assertEquals("expired", status("a").get("status"));
        assertEquals(new DeviceInbox.Acked(false, 0, 0), ack("a", 7, GW_A));
        assertEquals("expired", status("a").get("status"));
    }

    @Test
    void whenNothingIsLeftTheDeviceNeedsNoIndexEntry() {
        register("ios", null);
        routeExpiring("a", 1_000);
        routeExpiring("b", 2_000);
        clock.set(Entries.T0 + 2_000);

        assertEquals(new DeviceInbox.Expired(2, 0, List.of("a", "b")), join(inbox.expire(DEVICE)));

        assertEquals(List.of(), queued());
        assertEquals("0", meta("bytes"));
        assertNull(meta("expiryAt"));
    }

    @Test
    void aSweepWithNothingDueOnlyTellsWhenTheNextIs() {
        register("ios", null);
        routeExpiring("a", 4_000);
        routeExpiring("b", 2_000);

        assertEquals(new DeviceInbox.Expired(0, Entries.T0 + 2_000), join(inbox.expire(DEVICE)));

        assertEquals(List.of("a", "b"), queued());
    }

    @Test
    void routeAsksForTheExpiryIndexOnlyWhenItsEntryIsDueEarlierThanTheDeviceIsIndexedFor() {
        register("ios", null);

        assertEquals(Entries.T0 + 5_000, routeExpiring("a", 5_000).indexAt(), "the first entry");
        assertEquals(0, routeExpiring("b", 9_000).indexAt(), "due later: the index entry at 5 s covers it");
        assertEquals(Entries.T0 + 2_000, routeExpiring("c", 2_000).indexAt(), "due earlier");
        assertEquals(Long.toString(Entries.T0 + 2_000), meta("expiryAt"));

        // a re-consumed record repeats the index time: the index write may not have happened before a crash
        assertEquals(Entries.T0 + 2_000, routeExpiring("b", 9_000).indexAt());

        // after the sweep the device is indexed at its next expiry, and a later entry needs nothing
        clock.set(Entries.T0 + 2_000);
        assertEquals(new DeviceInbox.Expired(1, Entries.T0 + 5_000, List.of("c")), join(inbox.expire(DEVICE)));
        assertEquals(0, routeExpiring("d", 7_000).indexAt());
    }

    @Test
    void routeAsksForTheExpiryIndexAgainWhileTheTimeItIsIndexedForIsDueAndNotSwept() {
        // A sweep may have read the device's due time and take it out of the index while this route runs.
        register("ios", null);
        assertEquals(Entries.T0 + 5_000, routeExpiring("a", 5_000).indexAt());

        clock.set(Entries.T0 + 5_000);
        assertEquals(Entries.T0 + 5_000, routeExpiring("b", 9_000).indexAt(), "due and not swept yet: written again");
        assertEquals(Long.toString(Entries.T0 + 5_000), meta("expiryAt"), "the earliest expiry is still a's");
    }

    private DeviceInbox.Routed routeExpiring(String id, long afterT0) {
        return route(Entries.entry(DEVICE, id, "data-x", Entries.T0 + afterT0, null));
    }
}
