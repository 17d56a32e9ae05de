package io.tether.bench;

import io.tether.bench.measure.CpuMeter;
import io.tether.bench.measure.MachineInfo;
import io.tether.bench.measure.Pause;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.report.Fmt;
import io.tether.bench.report.ReportWriter;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.scenario.Scenario;
import io.tether.bench.stack.Devices;
import io.tether.bench.stack.Mosquitto;
import io.tether.bench.stack.Rest;
import io.tether.bench.stack.Started;
import io.tether.bench.stack.TetherStack;
import io.tether.testkit.ChildProcess;
import io.tether.testkit.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One benchmark run: starts Tether and mosquitto, registers the devices the chosen scenarios need, runs them, stops
 * everything and writes {@code report.md}, {@code results.json} and the charts.
 */
public final class BenchRun {
    /** What a run produced: the results folder, every scenario's result, and the ids of those that failed. */
    public record Outcome(Path out, List<ScenarioResult> results, List<String> failed) {
    }

    /** Open files the load generator and a broker keep for themselves (jars, logs, Kafka and Redis clients). */
    private static final int FILE_RESERVE = 1500;
    /** 127.0.0.1…127.0.0.N as source addresses: each has its own ephemeral port range. */
    private static final int SOURCE_ADDRESSES = 8;
    /** HTTP/1.1 connections to Tether's REST APIs: enough that thousands of requests/s at tens of ms do not queue in the client. */
    private static final int REST_CONNECTIONS = 200;

    private final Options options;
    private final List<Scenario> scenarios;
    private final int connectionCap;
    private final Map<String, String> setup = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Started open = new Started();

    private BenchRun(Options options) {
        this.options = options;
        this.scenarios = Scenario.all().stream().filter(s -> options.runs(s.id())).toList();
        long fileLimit = BenchContext.ownFileLimit();
        this.connectionCap = (int) Math.max(100, Math.min(Integer.MAX_VALUE, fileLimit) - FILE_RESERVE);
    }

    public static Outcome run(Options options) throws Exception {
        return new BenchRun(options).execute();
    }

    private Outcome execute() throws Exception {
        long started = System.nanoTime();
        ZonedDateTime startedAt = ZonedDateTime.now();
        if (options.peer() && !Mosquitto.installed()) {
            throw new IllegalStateException("mosquitto is not installed: apt-get install -y mosquitto (bench/run installs it)");
        }
        deleteTree(options.work());
        Files.createDirectories(options.work());
        Files.createDirectories(options.out());
        if (options.jvm().jfrDir() != null) {
            Files.createDirectories(options.jvm().jfrDir());
        }
        System.out.println("bench: " + options.scale().name() + " scale; work files in " + options.work() + ", results to "
                + options.out());
        List<ScenarioResult> results;
        ScenarioResult idle = null;
        try {
            BenchContext ctx = start();
            results = runScenarios(ctx, started);
            idle = idleCpu(ctx);
        } finally {
            stop();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        ReportWriter.Run run = new ReportWriter.Run(options.scale().name(), options.command(),
                startedAt.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).replaceAll("\\.\\d+", ""), seconds,
                MachineInfo.describe(), setup, parameters(), notes);
        List<ScenarioResult> written = new ArrayList<>(results);
        if (idle != null) {
            written.add(idle);
        }
        ReportWriter.write(options.out(), run, written, options.charts());
        List<String> failed = results.stream().filter(r -> r.error != null).map(r -> r.id).toList();
        System.out.printf("bench: done in %.0f s%s%n", seconds, failed.isEmpty() ? "" : "; failed scenarios: " + failed);
        return new Outcome(options.out(), results, failed);
    }

    /** Starts both systems and the load generator's clients and registers the devices. */
    private BenchContext start() {
        Scale scale = options.scale();
        TetherStack tether = opened(TetherStack.start(options.work(), scale.ackTimeout(), options.jvm(), options.redisFsync(),
                options.servicesRoot()));
        Rest rest = opened(new Rest(tether.apiKey(), REST_CONNECTIONS));
        MqttClients mqtt = opened(new MqttClients(2, SOURCE_ADDRESSES));
        List<Devices.Device> devices = register(rest, tether, scenarios.stream().mapToInt(s -> s.devices(scale, connectionCap))
                .max().orElse(0), false);
        List<Devices.Device> pushDevices = register(rest, tether, scenarios.stream().mapToInt(s -> s.pushDevices(scale)).max()
                .orElse(0), true);
        Map<String, String> users = new LinkedHashMap<>();
        devices.forEach(d -> users.put(d.username(), d.password()));
        ChildProcess mosquitto = null;
        int mosquittoPort = Ports.free();
        if (options.peer()) {
            System.out.print("bench: starting mosquitto        ... ");
            mosquitto = opened(Mosquitto.start(options.work().resolve("mosquitto"), mosquittoPort, users, false));
            System.out.println("ok");
        }
        describeSetup();
        return new BenchContext(scale, options.work(), tether, mosquitto, mosquittoPort, users, mqtt, rest, devices, pushDevices,
                connectionCap, options.jvm(), options.order());
    }

    private List<Devices.Device> register(Rest rest, TetherStack tether, int count, boolean pushTokens) {
        if (count == 0) {
            return List.of();
        }
        long t0 = System.nanoTime();
        List<Devices.Device> devices = Devices.register(rest, tether.registryPort(), count, pushTokens, 32);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String what = String.format("%,d devices %s in %.1f s (%,.0f/s, 32 requests in flight)", count,
                pushTokens ? "with an APNs token" : "without push token", seconds, count / seconds);
        System.out.println("bench: registered " + what);
        notes.add("Device registration through the registry's REST API: " + what + ".");
        return devices;
    }

    private void describeSetup() {
        setup.put("Tether", "gateway-mqtt, fanout-service, push-service, device-registry from their packaged jars; Kafka (KRaft, "
                + "1 node) and Redis (append-only, appendfsync " + options.redisFsync() + ") as processes; the APNs mock "
                + "(Pushy's MockApnsServer, testkit LocalApns) in the load generator JVM");
        setup.put("Tether build", BuildInfo.describe(options.servicesRoot()) + " in " + options.servicesRoot());
        setup.put("JVMs", options.jvm().describe());
        setup.put("Tether gateway config", "ack-timeout " + options.scale().ackTimeout().toMillis() + " ms, publish limit raised to "
                + "1,000,000/s per connection, WebSocket listener off, everything else default");
        setup.put("mosquitto", options.peer() ? Mosquitto.version() + " (Debian package), password file with the same device "
                + "credentials, max_inflight_messages 32, " + Mosquitto.describe(false)
                + "; scenario 1 also runs a second instance with " + Mosquitto.describe(true) : "not run (--no-peer)");
        setup.put("Order", options.order().describe() + "; each phase starts once both systems are idle");
        if (options.jvm().jfrDir() != null) {
            setup.put("Profiling", "JFR on in every Tether JVM (settings=profile): numbers carry its overhead; recordings in "
                    + options.jvm().jfrDir());
        }
        setup.put("Load generator", "one JVM: Netty MQTT client (netty-codec-mqtt, 2 event loops, source addresses 127.0.0.1–"
                + "127.0.0.8), Vert.x HTTP client (" + REST_CONNECTIONS + " connections), HdrHistogram; "
                + Runtime.getRuntime().availableProcessors() + " cores shared with everything else");
    }

    private List<ScenarioResult> runScenarios(BenchContext ctx, long started) {
        List<ScenarioResult> results = new ArrayList<>();
        Duration budget = Duration.ofMinutes(Long.getLong("bench.budget.minutes", options.scale().name().equals("full") ? 15 : 30));
        for (Scenario scenario : scenarios) {
            ScenarioResult result = new ScenarioResult(scenario.id(), scenario.title(), scenario.description());
            results.add(result);
            if (System.nanoTime() - started > budget.toNanos()) {
                result.error = "skipped: the run had used its time budget of " + budget.toMinutes() + " minutes "
                        + "(-Dbench.budget.minutes raises it)";
                continue;
            }
            long s0 = System.nanoTime();
            System.out.println("bench: scenario " + scenario.id() + ": " + scenario.title());
            try {
                scenario.run(ctx, result);
            } catch (Exception | Error e) {
                result.error = e.getClass().getSimpleName() + ": " + e.getMessage();
                System.err.println("bench: scenario " + scenario.id() + " failed: " + e);
                e.printStackTrace();
            }
            result.seconds = (System.nanoTime() - s0) / 1e9;
            if (ctx.mqtt.openCount() > 0) {
                System.err.println("bench: " + ctx.mqtt.openCount() + " connections still open after scenario " + scenario.id());
            }
            if (!ctx.tether.isAlive() || (ctx.hasPeer() && !ctx.mosquitto.isAlive())) {
                notes.add("A process of Tether or mosquitto died during scenario " + scenario.id() + "; later scenarios could not run.");
                break;
            }
        }
        return results;
    }

    /**
     * Each process's CPU with no load, over the scale's idle window after the scenarios: a line of the setup table, and
     * a section of its own whose numbers ({@code idle.*} in results.json) an A/B compares.
     */
    private ScenarioResult idleCpu(BenchContext ctx) {
        Map<String, Long> pids = new LinkedHashMap<>(ctx.tether.pids());
        if (ctx.hasPeer()) {
            pids.put("mosquitto", ctx.mosquitto.pid());
        }
        CpuMeter meter = CpuMeter.start(pids);
        Pause.of(ctx.scale.idleWindow());
        CpuMeter.Use use = meter.stop();
        List<String> tetherNames = List.copyOf(ctx.tether.pids().keySet());
        ScenarioResult r = new ScenarioResult("idle", "Idle CPU after the scenarios", "Each process's CPU over "
                + Fmt.num(use.elapsed()) + " s with no load, after the last scenario: what a process costs doing nothing.");
        ScenarioResult.Table table = r.table(null, "process", "% of one core");
        StringBuilder each = new StringBuilder();
        for (String name : tetherNames) {
            double pct = use.of(name) / use.elapsed() * 100;
            r.number("tether.idle_cpu_pct." + name, pct);
            ScenarioResult.row(table, "Tether " + name, pct);
            each.append(each.length() == 0 ? "" : ", ").append(name).append(' ').append(String.format("%.1f %%", pct));
        }
        double tether = use.cores(tetherNames) * 100;
        double mosquitto = use.of("mosquitto") / use.elapsed() * 100;
        r.number("tether.idle_cpu_pct", tether);
        ScenarioResult.row(table, "Tether, all processes", tether);
        if (ctx.hasPeer()) {
            r.number("mosquitto.idle_cpu_pct", mosquitto);
            ScenarioResult.row(table, "mosquitto", mosquitto);
        }
        r.number("machine_busy_pct", use.machineBusy() * 100);
        r.seconds = use.elapsed();
        setup.put("Idle CPU after the run", String.format("with no load (over %.0f s after the scenarios), Tether's processes "
                + "use %.1f %% of one core (%s), mosquitto %.1f %%; the machine was %.0f %% busy", use.elapsed(), tether, each,
                mosquitto, use.machineBusy() * 100));
        return r;
    }

    private Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("scale", options.scale().name());
        for (Scenario s : scenarios) {
            p.put(s.id() + " " + s.title().replaceAll(":.*", "").toLowerCase(java.util.Locale.ROOT),
                    s.parameters(options.scale(), connectionCap));
        }
        return p;
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        return open.add(closeable);
    }

    /** Stops what was started, newest first, and drops Kafka's data (the logs stay for a look). */
    private void stop() throws IOException {
        open.close();
        deleteTree(options.work().resolve("kafka/data"));
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
