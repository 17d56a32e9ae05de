package io.tether.chaos.report;

import io.tether.chaos.traffic.Ledger;
import io.tether.chaos.traffic.Ledger.Arrival;
import io.tether.chaos.traffic.Ledger.Outcome;
import io.tether.chaos.traffic.Ledger.Sent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The figures of one phase (one fault) from the ledger, counting the messages sent during that phase:
 * <ul>
 * <li>lost: answered 202 and never received by the device (live, or from its inbox when it came back);</li>
 * <li>duplicates: copies received beyond the first;</li>
 * <li>reordered: first copies that arrived after a later message to the same device had (messages whose REST
 *     outcome is unknown are left out: the client gave up on them, so their place in the order is not defined);</li>
 * <li>recovery: from the end of the fault until every live device had received a message sent after it.</li>
 * </ul>
 */
public record Tally(
        int sent,
        int accepted,
        int refused,
        int unknown,
        int unknownArrived,
        int refusedArrived,
        int lost,
        int duplicates,
        int reordered,
        Double recoverySeconds,
        List<Sent> lostMessages) {

    /**
     * @param phase       the phase whose messages are counted
     * @param faultEnd    when the fault ended (restart ready, or SIGCONT), epoch ms
     * @param liveDevices the devices that stayed connected (their recovery counts)
     * @param devices     every device messages went to
     */
    public static Tally of(Ledger ledger, int phase, long faultEnd, Collection<String> liveDevices, Collection<String> devices) {
        int sent = 0;
        int accepted = 0;
        int refused = 0;
        int unknown = 0;
        int unknownArrived = 0;
        int refusedArrived = 0;
        int duplicates = 0;
        int reordered = 0;
        List<Sent> lost = new ArrayList<>();
        long recoveredAt = Long.MIN_VALUE;
        boolean recovered = true;
        Set<String> live = new HashSet<>(liveDevices);
        for (String device : devices) {
            List<Sent> messages = ledger.sentTo(device);
            List<Arrival> arrivals = ledger.arrivalsOf(device);
            Map<Integer, Integer> copies = new HashMap<>();
            Map<Integer, Long> firstAt = new HashMap<>();
            int highest = -1;
            for (Arrival arrival : arrivals) {
                if (arrival.seq() < 0 || arrival.seq() >= messages.size()) {
                    continue; // not a message of this run
                }
                Sent message = messages.get(arrival.seq());
                int count = copies.merge(arrival.seq(), 1, Integer::sum);
                if (count == 1) {
                    firstAt.put(arrival.seq(), arrival.at());
                    if (message.outcome() == Outcome.ACCEPTED) {
                        if (arrival.seq() < highest && message.phase == phase) {
                            reordered++;
                        }
                        highest = Math.max(highest, arrival.seq());
                    }
                } else if (message.phase == phase) {
                    duplicates++;
                }
            }
            long firstAfterFault = Long.MAX_VALUE;
            boolean sentAfterFault = false;
            for (Sent message : messages) {
                if (message.phase != phase) {
                    continue;
                }
                sent++;
                boolean arrived = firstAt.containsKey(message.seq);
                switch (message.outcome()) {
                    case ACCEPTED -> {
                        accepted++;
                        if (!arrived) {
                            lost.add(message);
                        }
                    }
                    case REFUSED -> {
                        refused++;
                        refusedArrived += arrived ? 1 : 0;
                    }
                    case UNKNOWN, PENDING -> {
                        unknown++;
                        unknownArrived += arrived ? 1 : 0;
                    }
                }
                if (message.sentAt >= faultEnd && (message.outcome() == Outcome.ACCEPTED || arrived)) {
                    sentAfterFault = true;
                    if (arrived) {
                        firstAfterFault = Math.min(firstAfterFault, firstAt.get(message.seq));
                    }
                }
            }
            if (live.contains(device) && sentAfterFault) {
                if (firstAfterFault == Long.MAX_VALUE) {
                    recovered = false;
                } else {
                    recoveredAt = Math.max(recoveredAt, firstAfterFault);
                }
            }
        }
        Double recovery = !recovered || recoveredAt == Long.MIN_VALUE ? null : Math.max(0, recoveredAt - faultEnd) / 1000.0;
        return new Tally(sent, accepted, refused, unknown, unknownArrived, refusedArrived, lost.size(), duplicates,
                reordered, recovery, List.copyOf(lost));
    }
}
