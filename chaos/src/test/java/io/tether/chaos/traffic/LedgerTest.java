package io.tether.chaos.traffic;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LedgerTest {
    private final Ledger ledger = new Ledger();

    @Test
    void onlyAnArrivalOfAMessageSentAfterTheGivenTimeCountsAsReceivedSinceThen() {
        Ledger.Sent before = ledger.next("a", 0, 100);
        Ledger.Sent after = ledger.next("a", 0, 300);
        ledger.received("a", Ledger.payload(before.seq).getBytes(), 350); // late, but sent before 200
        ledger.received("a", "not a message of this run".getBytes(), 360);

        assertFalse(ledger.receivedSentSince("a", 200));

        ledger.received("a", Ledger.payload(after.seq).getBytes(), 400);
        assertTrue(ledger.receivedSentSince("a", 200));
        assertFalse(ledger.receivedSentSince("b", 200));
    }
}
