package io.tether.webhook.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How many deliveries one webhook may have in flight: {@link Dispatcher#share}. */
class DispatcherShareTest {
    @Test
    void busyWebhooksShareTheSlotsEqually() {
        assertEquals(16, Dispatcher.share(64, 4, 10));
        assertEquals(1, Dispatcher.share(64, 200, 200), "at least one each");
    }

    @Test
    void aWebhookAloneLeavesASlotForEachOtherWebhookUpToAQuarter() {
        assertEquals(3, Dispatcher.share(4, 1, 2), "the idle webhook's first event finds a free slot");
        assertEquals(48, Dispatcher.share(64, 1, 100), "a quarter kept free, however many webhooks there are");
        assertEquals(64, Dispatcher.share(64, 1, 1), "the only webhook takes every slot");
    }
}
