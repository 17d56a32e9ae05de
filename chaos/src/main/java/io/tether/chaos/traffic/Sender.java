package io.tether.chaos.traffic;

import io.tether.chaos.traffic.Ledger.Outcome;
import io.tether.chaos.traffic.Ledger.Sent;
import io.tether.testkit.Poll;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends messages by REST ({@code POST /v1/messages}) at a fixed rate, round robin over the target devices. One
 * request per device at a time: the next message to a device leaves only after the previous one was answered, so
 * its sequence number is also the order Tether accepted them in. A device still waiting for an answer is skipped
 * at its turn (counted), so a slow or frozen service does not change the rate to the others.
 */
public final class Sender implements AutoCloseable {
    private static final Duration TICK = Duration.ofMillis(10);

    private final Rest rest;
    private final String url;
    private final Ledger ledger;
    private final int ratePerSecond;
    private final Duration timeout;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final AtomicLong skipped = new AtomicLong();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "chaos-sender");
        thread.setDaemon(true);
        return thread;
    });
    private volatile List<String> targets = List.of();
    private volatile int phase;
    private long started;
    private long issued;
    private int next;

    public Sender(Rest rest, String fanoutUrl, Ledger ledger, int ratePerSecond, Duration timeout) {
        this.rest = rest;
        this.url = fanoutUrl + "/v1/messages";
        this.ledger = ledger;
        this.ratePerSecond = ratePerSecond;
        this.timeout = timeout;
    }

    /** The devices messages go to from now on. */
    public void targets(List<String> devices) {
        targets = List.copyOf(devices);
    }

    /** Messages sent from now on count for this phase. */
    public void phase(int phase) {
        this.phase = phase;
    }

    public void start() {
        started = System.nanoTime();
        ticker.scheduleAtFixedRate(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Turns the device's lane over: whether a request to it is still waiting for its answer. */
    public boolean idle(String device) {
        return !busy.contains(device);
    }

    public long skipped() {
        return skipped.get();
    }

    /** Stops sending and waits (up to the request timeout and a little) for the answers still due. */
    @Override
    public void close() {
        ticker.shutdownNow();
        Poll.until(timeout.plusSeconds(5), Duration.ofMillis(50), busy::isEmpty);
    }

    private void tick() {
        try {
            long due = (System.nanoTime() - started) * ratePerSecond / 1_000_000_000L;
            List<String> devices = targets;
            while (issued < due) {
                issued++;
                String device = pick(devices);
                if (device == null) {
                    skipped.incrementAndGet();
                } else {
                    send(device);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("chaos: sender: " + e); // a failing tick must not cancel the schedule
        }
    }

    /** The next device in round-robin order whose previous message was answered, or null when all wait. */
    private String pick(List<String> devices) {
        for (int i = 0; i < devices.size(); i++) {
            String device = devices.get(Math.floorMod(next++, devices.size()));
            if (busy.add(device)) {
                return device;
            }
        }
        return null;
    }

    private void send(String device) {
        Sent message = ledger.next(device, phase, System.currentTimeMillis());
        Map<String, Object> body = Map.of(
                "to", Map.of("device", device),
                "payload", Ledger.payload(message.seq),
                "push", Map.of("alert", Map.of("title", "chaos", "body", "message " + message.seq)));
        rest.postAsync(url, body, timeout).whenComplete((answer, error) -> {
            if (error == null && answer.status() == 202) {
                ledger.answered(message, Outcome.ACCEPTED, answer.field("messageId"), null);
            } else if (error == null) {
                ledger.answered(message, Outcome.REFUSED, null, "HTTP " + answer.status() + " " + answer.field("type"));
            } else {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                ledger.answered(message, neverSent(cause) ? Outcome.REFUSED : Outcome.UNKNOWN, null, cause.toString());
            }
            busy.remove(device);
        });
    }

    /** A request that never reached the server (no connection) was certainly not accepted. */
    static boolean neverSent(Throwable cause) {
        return cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException
                || (cause instanceof IOException && cause.getCause() instanceof ConnectException);
    }
}
