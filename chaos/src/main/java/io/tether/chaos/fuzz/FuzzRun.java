package io.tether.chaos.fuzz;

import io.tether.chaos.Options;
import io.tether.chaos.device.Credentials;
import io.tether.chaos.report.LogFindings;
import io.tether.chaos.report.Tally;
import io.tether.chaos.stack.ChaosStack;
import io.tether.chaos.traffic.Ledger;
import io.tether.chaos.traffic.Rest;
import io.tether.chaos.traffic.Sender;
import io.tether.contract.RedisKeys;
import io.tether.testkit.Poll;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fuzz run: a stack with one gateway, good clients publishing and receiving throughout, the {@link Fuzzer}
 * against the gateway's MQTT port, and the gateway measured before, during and after.
 */
public final class FuzzRun {
    private static final int GOOD_CLIENTS = 6;
    private static final int FUZZ_DEVICES = 8;
    private static final int WORKERS = 3;
    private static final int DOWNSTREAM_PER_SECOND = 20;
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private final Options options;

    public FuzzRun(Options options) {
        this.options = options;
    }

    public FuzzResult run() throws Exception {
        Files.createDirectories(options.work());
        try (ChaosStack stack = ChaosStack.start(options.work(), 1, false)) {
            ChaosStack.Gateway gateway = stack.gateways().get(0);
            long pid = gateway.process().pid();
            Rest rest = new Rest(stack.apiKey());
            List<Credentials> devices = Credentials.register(rest, stack.registryUrl(), GOOD_CLIENTS + FUZZ_DEVICES);
            List<Credentials> good = devices.subList(0, GOOD_CLIENTS);
            List<Credentials> fuzzed = devices.subList(GOOD_CLIENTS, devices.size());
            Ledger ledger = new Ledger();
            GatewayProbe probe = new GatewayProbe(gateway.process().baseUrl());
            LogFindings logs = new LogFindings();
            try (GoodClients clients = GoodClients.start(good, gateway.uri(), ledger::received)) {
                Poll.until(SETTLE, Duration.ofMillis(200), () -> probe.connections() == GOOD_CLIENTS);
                GatewayProbe.Sample before = probe.sample(pid, claimed(stack, gateway));
                System.out.println("chaos: fuzz: gateway before: " + before);
                logs.mark(List.of(gateway.process().logFile()));
                Sender sender = new Sender(rest, stack.fanoutUrl(), ledger, DOWNSTREAM_PER_SECOND, Duration.ofSeconds(10));
                sender.targets(clients.ids());
                long started = System.currentTimeMillis();
                sender.start();
                AtomicLong peakConnections = new AtomicLong();
                AtomicLong peakFds = new AtomicLong();
                ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor();
                monitor.scheduleAtFixedRate(() -> {
                    peakConnections.accumulateAndGet(probe.connections(), Math::max);
                    peakFds.accumulateAndGet(GatewayProbe.fileDescriptors(pid), Math::max);
                }, 0, 1, TimeUnit.SECONDS);
                var counts = new Fuzzer(gateway.mqttPort(), fuzzed, started).run(options.fuzzDuration(), WORKERS);
                monitor.shutdownNow();
                double seconds = (System.currentTimeMillis() - started) / 1000.0;
                System.out.printf("chaos: fuzz: %d packets over %d connections in %.0f s%n", counts.getOrDefault("packets", 0L),
                        counts.getOrDefault("connections", 0L), seconds);
                sender.close();
                clients.stopPublishing();
                boolean alive = gateway.process().isAlive();
                Poll.until(SETTLE, Duration.ofMillis(200), () -> clients.ids().stream().allMatch(ledger::allAcceptedArrived));
                Poll.until(SETTLE, Duration.ofMillis(500), () -> !gateway.process().isAlive()
                        || probe.connections() <= before.connections()
                        && GatewayProbe.fileDescriptors(pid) <= before.fileDescriptors() + FuzzResult.FD_SLACK
                        && claimed(stack, gateway) <= before.claimedDevices());
                GatewayProbe.Sample after = alive ? probe.sample(pid, claimed(stack, gateway)) : new GatewayProbe.Sample(-1, -1, -1, -1, -1);
                System.out.println("chaos: fuzz: gateway after:  " + after);
                Tally downstream = Tally.of(ledger, 0, started, clients.ids(), clients.ids());
                return new FuzzResult(options.mode(), seconds, counts, alive, before, peakConnections.get(), peakFds.get(), after,
                        clients.acked(), clients.failed(), downstream, logs.since());
            }
        }
    }

    /** How many devices the gateway lists in Redis as connected to it. */
    private static long claimed(ChaosStack stack, ChaosStack.Gateway gateway) {
        return (Long) stack.redis("SCARD", RedisKeys.gatewayDevices(gateway.id()));
    }
}
