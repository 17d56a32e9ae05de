package io.tether.chaos.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every message the run sent and every copy a device received, per device, with wall-clock times: what the
 * tally counts lost, duplicated and reordered messages from. Messages carry a per-device sequence number in
 * their payload ({@code c:<seq>}), so a copy is matched to its message without trusting the server.
 */
public final class Ledger {
    /** What the REST answer said about a message. */
    public enum Outcome {
        /** No answer yet. */
        PENDING,
        /** 202: Tether owes the device this message. */
        ACCEPTED,
        /** An error answer (or no connection at all): the backend knows it was not taken. */
        REFUSED,
        /** Timed out or the connection broke after the request was sent: it may or may not have been taken. */
        UNKNOWN
    }

    /** One message sent to one device. */
    public static final class Sent {
        public final String device;
        public final int seq;
        public final int phase;
        public final long sentAt;
        private volatile Outcome outcome = Outcome.PENDING;
        private volatile String messageId;
        private volatile String error;

        Sent(String device, int seq, int phase, long sentAt) {
            this.device = device;
            this.seq = seq;
            this.phase = phase;
            this.sentAt = sentAt;
        }

        public Outcome outcome() {
            return outcome;
        }

        public String messageId() {
            return messageId;
        }

        public String error() {
            return error;
        }
    }

    /** One copy of a message a device received by MQTT, at {@code at} (epoch ms). */
    public record Arrival(int seq, long at) {
    }

    private final Map<String, List<Sent>> sent = new ConcurrentHashMap<>();
    private final Map<String, List<Arrival>> arrivals = new ConcurrentHashMap<>();

    public static String payload(int seq) {
        return "c:" + seq;
    }

    /** The sequence number in a payload this run sent, or -1 for anything else. */
    public static int seqOf(byte[] payload) {
        String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        if (!text.startsWith("c:")) {
            return -1;
        }
        try {
            return Integer.parseInt(text.substring(2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The next message to {@code device}: its sequence number is its index among the device's messages. */
    public Sent next(String device, int phase, long now) {
        List<Sent> log = sent.computeIfAbsent(device, d -> new ArrayList<>());
        synchronized (log) {
            Sent message = new Sent(device, log.size(), phase, now);
            log.add(message);
            return message;
        }
    }

    public void answered(Sent message, Outcome outcome, String messageId, String error) {
        message.messageId = messageId;
        message.error = error;
        message.outcome = outcome;
    }

    public void received(String device, byte[] payload, long at) {
        int seq = seqOf(payload);
        List<Arrival> log = arrivals.computeIfAbsent(device, d -> new ArrayList<>());
        synchronized (log) {
            log.add(new Arrival(seq, at));
        }
    }

    /** A copy of the messages sent to {@code device}, by sequence number. */
    public List<Sent> sentTo(String device) {
        List<Sent> log = sent.getOrDefault(device, List.of());
        synchronized (log) {
            return new ArrayList<>(log);
        }
    }

    /** A copy of what {@code device} received, in arrival order. */
    public List<Arrival> arrivalsOf(String device) {
        List<Arrival> log = arrivals.getOrDefault(device, List.of());
        synchronized (log) {
            return new ArrayList<>(log);
        }
    }

    /** Whether {@code device} received a message sent at or after {@code since} (epoch ms). */
    public boolean receivedSentSince(String device, long since) {
        List<Sent> messages = sentTo(device);
        return arrivalsOf(device).stream().anyMatch(a -> a.seq() >= 0 && a.seq() < messages.size()
                && messages.get(a.seq()).sentAt >= since);
    }

    /** Whether every accepted message to {@code device} arrived at least once. */
    public boolean allAcceptedArrived(String device) {
        return allAcceptedArrived(device, 0);
    }

    /** Whether every accepted message to {@code device} sent in phase {@code fromPhase} or later arrived at least once. */
    public boolean allAcceptedArrived(String device, int fromPhase) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        arrivalsOf(device).forEach(a -> seen.add(a.seq()));
        List<Sent> messages = sentTo(device).stream().filter(s -> s.phase >= fromPhase).toList();
        return messages.stream().allMatch(s -> s.outcome() != Outcome.ACCEPTED || seen.contains(s.seq))
                && messages.stream().noneMatch(s -> s.outcome() == Outcome.PENDING);
    }

    /** The number of messages sent but not yet answered. */
    public long pending() {
        return sent.values().stream().mapToLong(log -> {
            synchronized (log) {
                return log.stream().filter(s -> s.outcome() == Outcome.PENDING).count();
            }
        }).sum();
    }
}
