package io.tether.inbox;

import static io.tether.inbox.TestRedis.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** direct.lua: a Live Activity event or a VoIP call is recorded as going to push and never enters the inbox. */
class DirectPushIT extends InboxFixture {

    @Test
    void aDirectPushIsRecordedAsQueuedForPushAndLeavesTheInboxAlone() {
        register("ios", "token-1");

        Inbox.Direct direct = join(inbox.direct(DEVICE, "m1", STATUS_TTL));

        assertEquals("queued", direct.status());
        assertTrue(direct.push());
        assertEquals("push", redis.sync().hget(KEYS.status("m1"), "route"));
        assertEquals(0L, redis.sync().zcard(KEYS.inbox()), "nothing waits in the inbox for it");
    }

    @Test
    void aReplayBeforeApnsAnsweredWritesThePushAgainAndAfterItDoesNot() {
        register("ios", "token-1");
        join(inbox.direct(DEVICE, "m1", STATUS_TTL));
        assertTrue(join(inbox.direct(DEVICE, "m1", STATUS_TTL)).push(), "still queued: the first write may have been lost");

        join(inbox.pushed(DEVICE, "m1", "apns-1"));
        Inbox.Direct again = join(inbox.direct(DEVICE, "m1", STATUS_TTL));
        assertEquals("pushed", again.status());
        assertFalse(again.push());
    }

    @Test
    void anUnknownDeviceFails() {
        Inbox.Direct direct = join(inbox.direct(DEVICE, "m1", STATUS_TTL));
        assertEquals("failed", direct.status());
        assertEquals("unknown-device", direct.failure());
        assertFalse(direct.push());
    }
}
