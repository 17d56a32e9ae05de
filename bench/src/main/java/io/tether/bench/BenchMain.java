package io.tether.bench;

import io.tether.bench.measure.MachineInfo;
import io.tether.bench.measure.ProcessStats;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.report.ReportWriter;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.scenario.BroadcastScenario;
import io.tether.bench.scenario.FallbackScenario;
import io.tether.bench.scenario.IdleConnectionsScenario;
import io.tether.bench.scenario.LiveDownstreamScenario;
import io.tether.bench.scenario.ReconnectStormScenario;
import io.tether.bench.scenario.Scenario;
import io.tether.bench.scenario.UpstreamScenario;
import io.tether.bench.stack.Await;
import io.tether.bench.stack.Devices;
import io.tether.bench.stack.Mosquitto;
import io.tether.bench.stack.Proc;
import io.tether.bench.stack.Rest;
import io.tether.bench.stack.TetherStack;
import io.tether.testkit.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The benchmark: starts Tether and mosquitto, registers devices, runs every scenario against both, and writes
 * {@code report.md}, {@code results.json} and the charts to the results folder.
 *
 * <pre>
 * BenchMain --scale small|full [--out DIR] [--work DIR] [--only 1,3,5] [--set idleLevels=2000,4000]...
 * </pre>
 */
public final class BenchMain {
    /** Open files the load generator and a broker keep for themselves (jars, logs, Kafka and Redis clients). */
    private static final int FILE_RESERVE = 1500;
    /** 127.0.0.1…127.0.0.N as source addresses: each has its own ephemeral port range. */
    private static final int SOURCE_ADDRESSES = 8;
    /** HTTP/1.1 connections to Tether's REST APIs: enough that 10k requests/s at tens of ms each do not queue in the client. */
    private static final int REST_CONNECTIONS = 200;

    private BenchMain() {
    }

    public static void main(String[] args) {
        try {
            Outcome outcome = run(Options.parse(args));
            System.out.println("bench: results in " + outcome.out());
            System.exit(outcome.failed().isEmpty() ? 0 : 1);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println("usage: bench/run --scale small|full [--out DIR] [--work DIR] [--only 1,2,3,4,5] [--set name=value]... [--jfr] [--service-jvm|--gateway-jvm|--kafka-jvm OPTIONS]");
            System.exit(2);
        } catch (Exception e) {
            System.err.println("bench: FAILED: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** What a run produced: the results folder and the scenarios that failed (by id). */
    public record Outcome(Path out, List<ScenarioResult> results, List<String> failed) {
    }

    /** Command-line options. */
    public record Options(Scale scale, Path out, Path work, Set<String> only, String command, boolean jfr) {
        public static Options parse(String... args) {
            String scale = null;
            Path out = null;
            Path work = null;
            Set<String> only = new LinkedHashSet<>();
            Map<String, String> overrides = new LinkedHashMap<>();
            boolean jfr = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--scale" -> scale = value(args, ++i);
                    case "--out" -> out = Path.of(value(args, ++i)).toAbsolutePath();
                    case "--work" -> work = Path.of(value(args, ++i)).toAbsolutePath();
                    case "--only" -> only.addAll(List.of(value(args, ++i).split(",")));
                    case "--jfr" -> jfr = true;
                    case "--service-jvm" -> System.setProperty("bench.service.jvm", value(args, ++i));
                    case "--gateway-jvm" -> System.setProperty("bench.gateway.jvm", value(args, ++i));
                    case "--kafka-jvm" -> System.setProperty("bench.kafka.jvm", value(args, ++i));
                    case "--set" -> {
                        String kv = value(args, ++i);
                        int eq = kv.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--set needs name=value, got " + kv);
                        }
                        overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (scale == null) {
                throw new IllegalArgumentException("--scale is required");
            }
            Scale s = Scale.of(scale).with(overrides);
            Path root = io.tether.testkit.TetherRoot.path();
            if (out == null) {
                out = root.resolve("bench/results").resolve(LocalDate.now() + "-" + scale);
            }
            if (work == null) {
                work = root.resolve("bench/target/work-" + scale);
            }
            String command = System.getProperty("bench.command", "bench/run " + String.join(" ", args));
            return new Options(s, out, work, only, command, jfr);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }
    }

    public static Outcome run(Options options) throws Exception {
        Scale scale = options.scale();
        Path out = options.out();
        Path work = options.work();
        long started = System.nanoTime();
        ZonedDateTime startedAt = ZonedDateTime.now();
        if (!Mosquitto.installed()) {
            throw new IllegalStateException("mosquitto is not installed: apt-get install -y mosquitto (bench/run installs it)");
        }
        deleteTree(work);
        Files.createDirectories(work);
        Files.createDirectories(out);
        io.tether.bench.stack.Stacks.usePidFile(work.resolve("bench.pids"));
        if (options.jfr()) {
            Files.createDirectories(work.resolve("jfr"));
            System.setProperty("bench.jfr.dir", work.resolve("jfr").toString());
        }

        List<Scenario> scenarios = new ArrayList<>(List.of(new UpstreamScenario(), new IdleConnectionsScenario(),
                new LiveDownstreamScenario(), new FallbackScenario(), new ReconnectStormScenario(), new BroadcastScenario()));
        if (!options.only().isEmpty()) {
            scenarios.removeIf(s -> !options.only().contains(s.id()));
        }

        long fileLimit = BenchContext.ownFileLimit();
        int cap = (int) Math.max(100, Math.min(Integer.MAX_VALUE, fileLimit) - FILE_RESERVE);
        int maxIdle = scale.idleLevels().stream().mapToInt(Integer::intValue).max().orElse(0);
        int poolSize = Math.max(Math.max(scale.upPublishers(), scale.liveDevices() + 8),
                Math.max(Math.min(maxIdle, cap), Math.min(scale.stormDevices(), cap) + 1));

        List<String> runNotes = new ArrayList<>();
        List<ScenarioResult> results = new ArrayList<>();
        Map<String, String> setup = new LinkedHashMap<>();
        Map<String, String> parameters = parameters(scale, poolSize, cap);
        TetherStack tether = null;
        Proc mosquitto = null;
        MqttClients mqtt = null;
        Rest rest = null;
        Thread hook = null;
        try {
            System.out.println("bench: " + scale.name() + " scale; work files in " + work + ", results to " + out);
            tether = TetherStack.start(work, scale.ackTimeout());
            TetherStack stackRef = tether;
            hook = new Thread(stackRef::close, "bench-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            rest = new Rest(tether.apiKey(), REST_CONNECTIONS);
            mqtt = new MqttClients(2, SOURCE_ADDRESSES);

            long t0 = System.nanoTime();
            List<Devices.Device> devices = Devices.register(rest, tether.registryPort(), poolSize, false, 32);
            List<Devices.Device> pushDevices = Devices.register(rest, tether.registryPort(), scale.pushDevices(), true, 32);
            double regSeconds = (System.nanoTime() - t0) / 1e9;
            pushDevices.forEach(d -> stackRef.apns().register(TetherStack.BUNDLE_ID, d.pushToken()));
            System.out.printf("bench: registered %,d devices in %.1f s (%,.0f/s)%n", poolSize + scale.pushDevices(), regSeconds,
                    (poolSize + scale.pushDevices()) / regSeconds);
            runNotes.add(String.format("Device registration through the registry's REST API: %,d devices in %.1f s (%,.0f/s, 32 "
                    + "requests in flight).", poolSize + scale.pushDevices(), regSeconds, (poolSize + scale.pushDevices()) / regSeconds));

            Map<String, String> users = new LinkedHashMap<>();
            devices.forEach(d -> users.put(d.username(), d.password()));
            int mosquittoPort = Ports.free();
            System.out.print("bench: starting mosquitto        ... ");
            mosquitto = Mosquitto.start(work.resolve("mosquitto"), mosquittoPort, users);
            System.out.println("ok");
            Proc mosquittoRef = mosquitto;
            Runtime.getRuntime().addShutdownHook(new Thread(mosquittoRef::close, "bench-mosquitto-shutdown"));

            setup.put("Tether", "gateway-mqtt, fanout-service, push-service, device-registry from their packaged jars; Kafka "
                    + "(KRaft, 1 node) and Redis (AOF, fsync every second) as processes; mock APNs in the load generator JVM");
            setup.put("Tether JVMs", "services: `" + System.getProperty("bench.service.jvm", TetherStack.SERVICE_JVM)
                    + "`; gateway: `" + System.getProperty("bench.gateway.jvm", TetherStack.GATEWAY_JVM) + "`; Kafka: `"
                    + System.getProperty("bench.kafka.jvm", TetherStack.KAFKA_JVM) + "`");
            setup.put("Tether gateway config", "ack-timeout " + scale.ackTimeout().toMillis() + " ms, publish limit raised to "
                    + "1,000,000/s per connection, WebSocket listener off, everything else default");
            setup.put("mosquitto", Mosquitto.version() + " (Debian package), password file with the same device credentials, "
                    + "persistence off, max_inflight_messages 32");
            if (options.jfr()) {
                setup.put("Profiling", "JFR on in every Tether JVM (settings=profile): numbers carry its overhead; recordings in "
                        + work.resolve("jfr"));
            }
            setup.put("Load generator", "one JVM: Netty MQTT client (netty-codec-mqtt, 2 event loops, source addresses 127.0.0.1–"
                    + "127.0.0.8), Vert.x HTTP client (" + REST_CONNECTIONS + " connections), HdrHistogram; " + Runtime.getRuntime().availableProcessors()
                    + " cores shared with everything else");

            BenchContext ctx = new BenchContext(scale, out, work, tether, mosquitto, mosquittoPort, mqtt, rest, devices, pushDevices, cap);
            Duration budget = Duration.ofMinutes(Long.getLong("bench.budget.minutes", scale.name().equals("full") ? 12 : 30));
            for (Scenario scenario : scenarios) {
                ScenarioResult result = new ScenarioResult(scenario.id(), scenario.title(), description(scenario));
                if (System.nanoTime() - started > budget.toNanos()) {
                    result.error = "skipped: the run had used its time budget of " + budget.toMinutes() + " minutes "
                            + "(-Dbench.budget.minutes raises it)";
                    results.add(result);
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
                results.add(result);
                if (mqtt.openCount() > 0) {
                    System.err.println("bench: " + mqtt.openCount() + " connections still open after scenario " + scenario.id());
                }
                if (!tether.gateway().isAlive() || !mosquitto.isAlive()) {
                    runNotes.add("A broker process died during scenario " + scenario.id() + "; later scenarios could not run.");
                    break;
                }
            }
            setup.put("Idle CPU after the run", idleCpu(tether, mosquitto));
        } finally {
            if (mqtt != null) {
                mqtt.close();
            }
            if (rest != null) {
                rest.close();
            }
            if (mosquitto != null) {
                mosquitto.close();
            }
            if (tether != null) {
                tether.close();
            }
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // shutting down
                }
            }
            deleteTree(work.resolve("kafka/data"));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        ReportWriter.Run run = new ReportWriter.Run(scale.name(), options.command(),
                startedAt.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).replaceAll("\\.\\d+", ""), seconds,
                MachineInfo.describe(), setup, parameters, runNotes);
        ReportWriter.write(out, run, results);
        List<String> failed = results.stream().filter(r -> r.error != null).map(r -> r.id).toList();
        System.out.printf("bench: done in %.0f s%s%n", seconds, failed.isEmpty() ? "" : "; failed scenarios: " + failed);
        return new Outcome(out, results, failed);
    }

    private static String idleCpu(TetherStack tether, Proc mosquitto) {
        Map<String, Long> pids = new LinkedHashMap<>();
        tether.processes().forEach(p -> pids.put(p.name(), p.pid()));
        pids.put("mosquitto", mosquitto.pid());
        ProcessStats.CpuMeter meter = ProcessStats.CpuMeter.start(pids);
        Await.pause(Duration.ofSeconds(5));
        ProcessStats.CpuUse use = meter.stop();
        double tetherShare = use.sum(tether.processes().stream().map(Proc::name).toList()) / use.elapsed() * 100;
        StringBuilder each = new StringBuilder();
        for (Proc p : tether.processes()) {
            each.append(each.length() == 0 ? "" : ", ").append(p.name()).append(' ')
                    .append(String.format("%.1f %%", use.of(p.name()) / use.elapsed() * 100));
        }
        return String.format("with no load (5 s after the scenarios), Tether's processes use %.1f %% of one core (%s), mosquitto "
                + "%.1f %%; the machine was %.0f %% busy", tetherShare, each, use.of("mosquitto") / use.elapsed() * 100,
                use.machineBusy() * 100);
    }

    private static Map<String, String> parameters(Scale s, int pool, int cap) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("scale", s.name());
        p.put("1 upstream", s.upPublishers() + " publishers × " + s.upMessages() + " messages (+" + s.upWarmup()
                + " warm-up each), " + s.payloadBytes() + " B, window " + s.upWindow() + ", at most " + s.upDeadline().toSeconds() + " s");
        p.put("2 idle connections", s.idleLevels() + " (capped at " + cap + " by the open-file limit), " + s.connectConcurrency()
                + " connects in flight");
        p.put("3 live downstream", s.liveDevices() + " devices, rates " + s.liveRates() + " msg/s for " + s.liveDuration().toSeconds()
                + " s each after " + s.liveWarmup().toSeconds() + " s warm-up");
        p.put("4 fallback", s.deafDevices() + " deaf devices, ack deadline " + s.ackTimeout().toMillis() + " ms; up to " + s.pushRequests()
                + " notifications (about " + s.pushSeconds().toSeconds() + " s of push-service's warm rate) to " + s.pushDevices()
                + " devices for throughput");
        p.put("5 reconnect storm", Math.min(s.stormDevices(), cap) + " devices (asked: " + s.stormDevices() + "), messages at "
                + s.stormRate() + "/s during the storm");
        p.put("devices registered", pool + " without push token + " + s.pushDevices() + " with");
        return p;
    }

    private static String description(Scenario scenario) {
        String doc = switch (scenario.id()) {
            case "1" -> "N devices publish QoS 1 messages upstream, each keeping a window of publishes awaiting PUBACK. "
                    + "Tether answers PUBACK once the record is in Kafka (acks=all); mosquitto once the message is in its memory.";
            case "2" -> "Idle devices connect with a user name and password and subscribe, in steps up to each level; at each level "
                    + "the connect rate, CONNACK latency and the resident memory added per connection.";
            case "3" -> "A backend sends to connected devices at fixed rates: Tether through REST POST /v1/messages (one device "
                    + "per message, round robin), mosquitto through QoS 1 PUBLISH to the device's topic. Latency runs from the "
                    + "moment each message was due (open loop) to its arrival at the device.";
            case "4" -> "Devices that stop reading (a suspended iOS app: the socket stays open, nothing is read) get a message "
                    + "with push options; Tether must notice the missing PUBACK and push through APNs. Then push-service's "
                    + "throughput against raw Pushy driving the same mock APNs.";
            case "5" -> "All connected devices drop at once and reconnect at once while a backend keeps sending to them: time "
                    + "until all are LIVE again, and whether every accepted message arrived.";
            case "6" -> "Connected devices subscribed to one topic (granted to each): one message to the topic, through REST "
                    + "to: {topic} (Tether) or one QoS 1 PUBLISH (mosquitto); time until the last device has it.";
            default -> "";
        };
        return doc;
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
