package io.tether.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.chaos.device.AppDevice;
import io.tether.chaos.device.Credentials;
import io.tether.chaos.device.SuspendedDevice;
import io.tether.chaos.report.ChaosResult;
import io.tether.chaos.report.LogFindings;
import io.tether.chaos.report.PhaseResult;
import io.tether.chaos.report.Tally;
import io.tether.chaos.stack.ChaosStack;
import io.tether.chaos.stack.Component;
import io.tether.chaos.stack.Fault;
import io.tether.chaos.stack.FaultKind;
import io.tether.chaos.traffic.Ledger;
import io.tether.chaos.traffic.Rest;
import io.tether.chaos.traffic.Sender;
import io.tether.testkit.Faultable;
import io.tether.testkit.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The chaos suite: Tether under a steady stream of REST messages to live devices (Paho, MQTT 5 and 3.1.1, spread
 * over two gateways) and suspended ones (deaf or gone, with push tokens), while one fault after another hits a
 * process. Each phase: warm-up, fault, observation; then the suspended devices come back to drain their inbox and
 * are suspended again. At the end every device must have received every message answered 202.
 */
public final class ChaosRun {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration FINAL_DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int LOST_DETAILS = 10;

    private final Options options;
    private final Ledger ledger = new Ledger();
    private final LogFindings logFindings = new LogFindings();
    private ChaosStack stack;
    private Rest rest;
    private Sender sender;
    private List<Credentials> live;
    private List<Credentials> suspended;
    private final List<AppDevice> apps = new ArrayList<>();
    private final List<SuspendedDevice> sockets = new ArrayList<>();

    public ChaosRun(Options options) {
        this.options = options;
    }

    /** Runs the plan; with {@code --isolate}, each fault on a stack of its own, so one fault's damage does not spill into the next. */
    public static ChaosResult run(Options options) throws IOException {
        if (!options.isolate()) {
            return new ChaosRun(options).run();
        }
        long began = System.currentTimeMillis();
        List<PhaseResult> phases = new ArrayList<>();
        long skipped = 0;
        for (int i = 0; i < options.plan().size(); i++) {
            Fault fault = options.plan().get(i);
            ChaosResult alone = new ChaosRun(options.alone(fault, options.work().resolve("fault-" + (i + 1)))).run();
            phases.add(alone.phases().get(0).renumbered(i));
            skipped += alone.skippedBusy();
        }
        return new ChaosResult(options.mode() + " (each fault on a fresh stack)", began, System.currentTimeMillis(),
                options.liveDevices(), options.suspendedDevices(), options.ratePerSecond(), skipped, phases);
    }

    public ChaosResult run() throws IOException {
        long began = System.currentTimeMillis();
        Files.createDirectories(options.work());
        stack = ChaosStack.start(options.work(), 2, true);
        try {
            rest = new Rest(stack.apiKey());
            List<Credentials> devices = Credentials.register(rest, stack.registryUrl(),
                    options.liveDevices() + options.suspendedDevices());
            live = devices.subList(0, options.liveDevices());
            suspended = devices.subList(options.liveDevices(), devices.size());
            long connecting = System.nanoTime();
            apps.addAll(startApps(live, 0));
            suspendAll();
            System.out.printf("chaos: %d live devices (MQTT 5 and 3.1.1 on Paho), %d suspended, connected in %.1f s; %d msg/s%n",
                    live.size(), suspended.size(), (System.nanoTime() - connecting) / 1e9, options.ratePerSecond());
            sender = new Sender(rest, stack.fanoutUrl(), ledger, options.ratePerSecond(), REQUEST_TIMEOUT);
            sender.targets(ids(Stream.concat(live.stream(), suspended.stream()).toList()));
            sender.start();
            List<Phase> phases = new ArrayList<>();
            for (int i = 0; i < options.plan().size(); i++) {
                phases.add(phase(i, options.plan().get(i)));
            }
            sender.close();
            finalDrain();
            Set<String> pushed = pushedMessageIds();
            List<PhaseResult> results = new ArrayList<>();
            for (Phase phase : phases) {
                results.add(result(phase, pushed));
            }
            return new ChaosResult(options.mode(), began, System.currentTimeMillis(), live.size(), suspended.size(),
                    options.ratePerSecond(), sender.skipped(), results);
        } finally {
            apps.forEach(AppDevice::close);
            sockets.forEach(SuspendedDevice::close);
            stack.close();
        }
    }

    /** What happened during one phase, before the tally (which waits for the end of the run). */
    private record Phase(int index, Fault fault, String target, long started, long faultStart, long faultEnd, long ended,
            java.util.Map<String, List<String>> logs) {
    }

    private Phase phase(int index, Fault fault) {
        sender.phase(index);
        long started = System.currentTimeMillis();
        logFindings.mark(logs());
        warmUp(started);
        ChaosStack.Gateway gateway = busiestGateway();
        Faultable process = stack.process(fault.component(), gateway);
        String target = fault.component() == Component.GATEWAY ? fault.component().label() + " " + gateway.id() : fault.component().label();
        System.out.printf("chaos: phase %d: %s (%s)%n", index + 1, fault, target);
        long faultStart = System.currentTimeMillis();
        if (fault.kind() == FaultKind.KILL) {
            process.kill();
            process.restart();
        } else {
            process.freeze();
            try {
                hold(options.freeze());
            } finally {
                process.thaw();
            }
        }
        long faultEnd = System.currentTimeMillis();
        observe(fault, faultStart, faultEnd);
        long ended = System.currentTimeMillis();
        if (index + 1 < options.plan().size()) {
            sender.phase(index + 1); // messages sent while the suspended devices drain count for the next fault
        }
        resumeSuspended(index, index + 1 < options.plan().size());
        return new Phase(index, fault, target, started, faultStart, faultEnd, ended, logFindings.since());
    }

    /**
     * Lets the phase's messages flow before its fault: {@link Options#warmup()}, or (short mode) until they flow on every
     * path, each live device having received one and each suspended device having had one pushed ({@link #flowingSince}),
     * at most that long. The fault then hits the same steady stream, without the time a fixed warm-up adds after it.
     */
    private void warmUp(long phaseStart) {
        if (options.afterRecovery() == null) {
            hold(options.warmup());
            return;
        }
        boolean flowing = Poll.until(options.warmup(), Duration.ofMillis(100), () -> flowingSince(phaseStart));
        System.out.printf("chaos:   warm-up %.1f s%s%n", (System.currentTimeMillis() - phaseStart) / 1000.0,
                flowing ? " (every device got this phase's messages on its path)" : " (its whole length)");
    }

    /**
     * Lets messages flow after the fault: the whole window, or (short mode) until every live device got a message sent
     * after the fault (recovery), then until messages sent after that flow on every path again ({@link #flowingSince}),
     * at most {@link Options#afterRecovery()} more, all within the same window. A device that never recovers keeps the
     * full window, so the tally still tells "never" from late.
     */
    private void observe(Fault fault, long faultStart, long faultEnd) {
        Duration window = options.observeFor(fault);
        Duration tail = options.afterRecovery();
        System.out.printf("chaos:   fault over after %.1f s; observing %s%d s%n", (faultEnd - faultStart) / 1000.0,
                tail == null ? "" : "until live delivery resumed, then until every path carries newer messages (at most "
                        + tail.toSeconds() + " s), at most ", window.toSeconds());
        if (tail == null) {
            hold(window);
            return;
        }
        long deadline = faultEnd + window.toMillis();
        List<String> liveIds = ids(live);
        Poll.until(window, Duration.ofMillis(100), () -> liveIds.stream().allMatch(id -> ledger.receivedSentSince(id, faultEnd)));
        long recovered = System.currentTimeMillis();
        long left = deadline - recovered;
        boolean flowing = Poll.until(Duration.ofMillis(Math.max(0, Math.min(tail.toMillis(), left))), Duration.ofMillis(100),
                () -> flowingSince(recovered));
        System.out.printf("chaos:   observed %.1f s after the fault, %.1f s after live delivery resumed%s%n",
                (System.currentTimeMillis() - faultEnd) / 1000.0, (System.currentTimeMillis() - recovered) / 1000.0,
                flowing ? " (every device got newer messages on its path)" : "");
    }

    /**
     * Whether messages sent at or after {@code since} (epoch ms) reach every device on its path: each live device
     * received one, and each suspended device had one answered 202 and accepted by the APNs mock.
     */
    private boolean flowingSince(long since) {
        if (!ids(live).stream().allMatch(id -> ledger.receivedSentSince(id, since))) {
            return false;
        }
        Set<String> pushed;
        try {
            pushed = pushedMessageIds();
        } catch (IOException e) {
            return false;
        }
        return ids(suspended).stream().allMatch(id -> ledger.sentTo(id).stream().anyMatch(message -> message.sentAt >= since
                && message.outcome() == Ledger.Outcome.ACCEPTED && pushed.contains(message.messageId())));
    }

    /**
     * Brings the suspended devices back (Paho, like the app in the foreground) until the messages of this phase
     * drained from their inbox (what an earlier phase stranded is counted at the end, not waited for again), and
     * suspends them again.
     */
    private void resumeSuspended(int phase, boolean suspendAgain) {
        List<String> suspendedIds = ids(suspended);
        sender.targets(ids(live));
        Poll.until(REQUEST_TIMEOUT.plusSeconds(2), Duration.ofMillis(20), () -> suspendedIds.stream().allMatch(sender::idle));
        sockets.forEach(SuspendedDevice::close);
        sockets.clear();
        List<AppDevice> back = new ArrayList<>();
        try {
            long coming = System.nanoTime();
            back.addAll(startApps(suspended, 1));
            long connected = System.nanoTime();
            boolean drained = Poll.until(DRAIN_TIMEOUT, Duration.ofMillis(100),
                    () -> suspendedIds.stream().allMatch(id -> ledger.allAcceptedArrived(id, phase)));
            if (!drained) {
                System.out.println("chaos:   suspended devices did not get all their messages within " + DRAIN_TIMEOUT.toSeconds() + " s");
            } else {
                System.out.printf("chaos:   suspended devices back in %.1f s, their inbox drained %.1f s later%n",
                        (connected - coming) / 1e9, (System.nanoTime() - connected) / 1e9);
            }
        } finally {
            back.forEach(AppDevice::close);
        }
        if (suspendAgain) {
            suspendAll();
            sender.targets(ids(Stream.concat(live.stream(), suspended.stream()).toList()));
        }
    }

    /**
     * Paho apps for {@code devices}, side by side: device i speaks MQTT 5 when {@code i + v5Offset} is even (else 3.1.1)
     * and tries the gateways in {@link #gatewayOrder}.
     */
    private List<AppDevice> startApps(List<Credentials> devices, int v5Offset) {
        List<Supplier<AppDevice>> starts = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            int index = i;
            starts.add(() -> AppDevice.start((index + v5Offset) % 2 == 0, devices.get(index), gatewayOrder(index), ledger::received,
                    CONNECT_TIMEOUT));
        }
        return AppDevice.startAll(starts);
    }

    /** Half deaf, half gone, spread over the gateways. */
    private void suspendAll() {
        for (int i = 0; i < suspended.size(); i++) {
            SuspendedDevice.Kind kind = i % 2 == 0 ? SuspendedDevice.Kind.DEAF : SuspendedDevice.Kind.GONE;
            int port = stack.gateways().get(i % stack.gateways().size()).mqttPort();
            Credentials device = suspended.get(i);
            boolean done = Poll.until(CONNECT_TIMEOUT, Duration.ofMillis(500), () -> {
                try {
                    sockets.add(SuspendedDevice.suspend(device, port, kind));
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            if (!done) {
                throw new IllegalStateException("cannot connect suspended device " + device.id() + " to port " + port);
            }
        }
    }

    /** After the last fault: live devices get what is still on its way; suspended ones were drained by the last phase. */
    private void finalDrain() {
        boolean done = Poll.until(FINAL_DRAIN_TIMEOUT, Duration.ofMillis(200),
                () -> ids(live).stream().allMatch(ledger::allAcceptedArrived));
        if (!done) {
            System.out.println("chaos: live devices still miss messages after " + FINAL_DRAIN_TIMEOUT.toSeconds() + " s");
        }
    }

    private PhaseResult result(Phase phase, Set<String> pushed) {
        Tally tally = Tally.of(ledger, phase.index(), phase.faultEnd(), ids(live), ids(Stream.concat(live.stream(), suspended.stream()).toList()));
        int suspendedAccepted = 0;
        int suspendedPushed = 0;
        for (Credentials device : suspended) {
            for (Ledger.Sent message : ledger.sentTo(device.id())) {
                if (message.phase == phase.index() && message.outcome() == Ledger.Outcome.ACCEPTED) {
                    suspendedAccepted++;
                    suspendedPushed += pushed.contains(message.messageId()) ? 1 : 0;
                }
            }
        }
        List<String> lostStatus = new ArrayList<>();
        for (Ledger.Sent message : tally.lostMessages().stream().limit(LOST_DETAILS).toList()) {
            lostStatus.add(describe(message));
        }
        return new PhaseResult(phase.index(), phase.fault(), phase.target(), phase.started(), phase.faultStart(),
                phase.faultEnd(), phase.ended(), tally, suspendedAccepted, suspendedPushed, lostStatus, phase.logs());
    }

    /** A lost message as the backend sees it: {@code GET /v1/messages/<id>} for its device. */
    private String describe(Ledger.Sent message) {
        String who = (ids(live).contains(message.device) ? "live " : "suspended ") + message.device + " #" + message.seq
                + " " + message.messageId();
        try {
            Rest.Answer answer = rest.get(stack.fanoutUrl() + "/v1/messages/" + message.messageId());
            JsonNode entry = answer.body() == null ? null : answer.body().path("devices").path(0);
            boolean found = entry != null && !entry.isMissingNode();
            return who + ": " + (found ? entry.toString() : "HTTP " + answer.status() + " " + answer.body());
        } catch (RuntimeException e) {
            return who + ": status unavailable (" + e.getMessage() + ")";
        }
    }

    private Set<String> pushedMessageIds() throws IOException {
        Set<String> ids = new HashSet<>();
        Path record = stack.apnsRecord();
        if (record != null && Files.exists(record)) {
            for (String line : Files.readAllLines(record)) {
                if (!line.isBlank()) {
                    String id = Rest.JSON.readTree(line).path("payload").path("tether").path("messageId").asText(null);
                    if (id != null) {
                        ids.add(id);
                    }
                }
            }
        }
        return ids;
    }

    /** The gateway holding most live devices now: the one whose fault hurts most. */
    private ChaosStack.Gateway busiestGateway() {
        return stack.gateways().stream()
                .max(Comparator.comparingLong(g -> apps.stream().filter(a -> g.uri().equals(a.connectedTo())).count()))
                .orElseThrow();
    }

    /** Device i tries gateway i mod n first, then the others: devices spread, and move over when theirs dies. */
    private List<String> gatewayOrder(int i) {
        List<String> uris = stack.gateways().stream().map(ChaosStack.Gateway::uri).collect(Collectors.toList());
        java.util.Collections.rotate(uris, -(i % uris.size()));
        return uris;
    }

    private List<Path> logs() {
        List<Path> logs = new ArrayList<>();
        for (Component component : Component.values()) {
            if (component != Component.GATEWAY) {
                logs.add(stack.log(component, null));
            }
        }
        stack.gateways().forEach(g -> logs.add(g.process().logFile()));
        return logs;
    }

    private static List<String> ids(List<Credentials> devices) {
        return devices.stream().map(Credentials::id).toList();
    }

    /** Lets time pass (the fault's length, the observation window): the run's pacing, not a wait for a condition. */
    static void hold(Duration duration) {
        CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(duration.toMillis(), TimeUnit.MILLISECONDS)).join();
    }
}
