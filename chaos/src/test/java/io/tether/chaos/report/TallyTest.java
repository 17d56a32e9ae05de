package io.tether.chaos.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tether.chaos.traffic.Ledger;
import io.tether.chaos.traffic.Ledger.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class TallyTest {
    private final Ledger ledger = new Ledger();

    private Ledger.Sent send(String device, int phase, long at, Outcome outcome) {
        Ledger.Sent sent = ledger.next(device, phase, at);
        ledger.answered(sent, outcome, outcome == Outcome.ACCEPTED ? "msg_" + device + sent.seq : null, null);
        return sent;
    }

    private void receive(String device, int seq, long at) {
        ledger.received(device, Ledger.payload(seq).getBytes(), at);
    }

    @Test
    void acceptedMessagesThatNeverArrivedAreLostAndRefusedOnesAreNot() {
        send("a", 0, 100, Outcome.ACCEPTED);
        send("a", 0, 200, Outcome.ACCEPTED);
        send("a", 0, 300, Outcome.REFUSED);
        send("a", 0, 400, Outcome.UNKNOWN);
        receive("a", 0, 150);

        Tally tally = Tally.of(ledger, 0, 0, List.of("a"), List.of("a"));

        assertEquals(4, tally.sent());
        assertEquals(2, tally.accepted());
        assertEquals(1, tally.refused());
        assertEquals(1, tally.unknown());
        assertEquals(1, tally.lost());
        assertEquals(1, tally.lostMessages().get(0).seq);
    }

    @Test
    void countsCopiesBeyondTheFirstAndLateFirstCopiesPerDevice() {
        for (int i = 0; i < 4; i++) {
            send("a", 0, 100 + i, Outcome.ACCEPTED);
        }
        receive("a", 0, 200);
        receive("a", 2, 201);
        receive("a", 1, 202); // after 2: out of order
        receive("a", 2, 203); // a second copy
        receive("a", 3, 204);

        Tally tally = Tally.of(ledger, 0, 0, List.of("a"), List.of("a"));

        assertEquals(0, tally.lost());
        assertEquals(1, tally.duplicates());
        assertEquals(1, tally.reordered());
    }

    @Test
    void unknownOutcomesDoNotCountAsReorderedAndArrivalsOfThemAreReported() {
        send("a", 0, 100, Outcome.UNKNOWN);
        send("a", 0, 200, Outcome.ACCEPTED);
        receive("a", 1, 300);
        receive("a", 0, 400);

        Tally tally = Tally.of(ledger, 0, 0, List.of("a"), List.of("a"));

        assertEquals(0, tally.reordered());
        assertEquals(1, tally.unknownArrived());
    }

    @Test
    void recoveryIsWhenTheLastLiveDeviceGotAMessageSentAfterTheFault() {
        send("a", 0, 900, Outcome.ACCEPTED);
        send("a", 0, 1_100, Outcome.ACCEPTED);
        send("b", 0, 1_200, Outcome.ACCEPTED);
        send("s", 0, 1_300, Outcome.ACCEPTED); // a suspended device: its late drain is no recovery time
        receive("a", 0, 5_000);
        receive("a", 1, 1_500);
        receive("b", 0, 3_000);
        receive("s", 0, 60_000);

        Tally tally = Tally.of(ledger, 0, 1_000, List.of("a", "b"), List.of("a", "b", "s"));

        assertEquals(2.0, tally.recoverySeconds());
    }

    @Test
    void noRecoveryWhileALiveDeviceGotNothingSentAfterTheFault() {
        send("a", 0, 1_100, Outcome.ACCEPTED);
        send("b", 0, 1_200, Outcome.ACCEPTED);
        receive("a", 0, 1_500);

        assertNull(Tally.of(ledger, 0, 1_000, List.of("a", "b"), List.of("a", "b")).recoverySeconds());
    }

    @Test
    void countsOnlyTheMessagesOfItsPhase() {
        send("a", 0, 100, Outcome.ACCEPTED);
        send("a", 1, 200, Outcome.ACCEPTED);
        receive("a", 1, 300);

        assertEquals(1, Tally.of(ledger, 0, 0, List.of("a"), List.of("a")).lost());
        assertEquals(0, Tally.of(ledger, 1, 0, List.of("a"), List.of("a")).lost());
    }
}
