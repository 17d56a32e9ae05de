package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.Scale;
import io.tether.bench.measure.CpuMeter;
import io.tether.bench.measure.HeapByOwner;
import io.tether.bench.measure.Jvm;
import io.tether.bench.measure.Latency;
import io.tether.bench.measure.NetStat;
import io.tether.bench.measure.Pause;
import io.tether.bench.measure.ProcessStats;
import io.tether.bench.mqtt.ConnectSpec;
import io.tether.bench.mqtt.MqttClients;
import io.tether.bench.mqtt.MqttConn;
import io.tether.bench.report.Chart;
import io.tether.bench.report.Fmt;
import io.tether.bench.report.ScenarioResult;
import io.tether.bench.stack.Devices.Device;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Scenario 2: idle, authenticated, subscribed connections added in steps up to each level; at each level the connect
 * rate, CONNACK latency and the resident memory growth per connection of the broker process (after a full GC for
 * Tether's JVM) — gateway alone, and with Redis, which holds the presence of every device.
 */
public final class IdleConnectionsScenario implements Scenario {
    @Override
    public String id() {
        return "2";
    }

    @Override
    public String title() {
        return "Idle connections: connect rate, CONNACK latency, memory per connection";
    }

    /**
     * One level on one system; {@code listenOverflows}, {@code listenDrops}, {@code synRetransmits}: the kernel's counters
     * over its connects; {@code cpu}: what they cost the system's processes.
     */
    record Level(int connections, long connected, long failed, double seconds, double rate, Latency.Summary connack,
            Latency.Summary ready, long rss, double bytesPerConnection, double redisBytesPerConnection, long listenOverflows,
            long listenDrops, long synRetransmits, String failures, Map<String, Double> heapPerConnection, Map<HeapByOwner.Owner, Double> heapByOwner,
            ConnectCpu cpu) {
        static Level none(int connections) {
            Latency.Summary nothing = new Latency().summary();
            return new Level(connections, 0, 0, Double.NaN, Double.NaN, nothing, nothing, 0, Double.NaN, Double.NaN, 0, 0, 0, null,
                    Map.of(), Map.of(), ConnectCpu.NONE);
        }
    }

    /** What one system did: the warm-up's rounds, then the levels. */
    record Ladder(List<ConnectWarmup.Round> warmup, List<Level> levels) {
    }

    @Override
    public String description() {
        return "Idle devices connect with a user name and password and subscribe, in steps up to each level; at each level "
                + "the connect rate, CONNACK latency, the kernel's listen-queue overflows and the resident memory added per "
                + "connection.";
    }

    @Override
    public String parameters(Scale s, int cap) {
        return s.idleLevels() + " (capped at " + cap + " by the open-file limit), " + s.connectConcurrency() + " connects in flight";
    }

    @Override
    public int devices(Scale s, int cap) {
        // The warm-up's devices come after the levels' ones: none of them is connected when a level is measured. They
        // are all open at once, so the open-file cap bounds them too.
        int top = s.idleLevels().stream().mapToInt(Integer::intValue).max().orElse(0);
        return Math.min(cap, top) + Math.min(cap, s.connectWarmup());
    }

    @Override
    public void run(BenchContext ctx, ScenarioResult r) throws Exception {
        TreeSet<Integer> levels = new TreeSet<>();
        List<Integer> unreachable = new ArrayList<>();
        int warmup = Math.min(Math.min(ctx.scale.connectWarmup(), ctx.connectionCap), ctx.devices.size());
        for (int level : ctx.scale.idleLevels()) {
            int capped = Math.min(level, Math.min(ctx.connectionCap, ctx.devices.size() - warmup));
            levels.add(capped);
            if (capped < level) {
                unreachable.add(level);
            }
        }
        List<Integer> steps = new ArrayList<>(levels);
        int top = steps.get(steps.size() - 1);
        List<Device> warm = ctx.devices.subList(top, top + warmup);
        Sides.Both<Ladder> both = Sides.run(ctx, id(), r, "mosquitto",
                () -> ladder(ctx, r, "Tether", steps, warm, d -> ctx.tetherSpec(d, true), ctx.tether.gateway().pid(), true,
                        ctx.tether.pids().get("redis"), ctx.tether.pids()),
                () -> ladder(ctx, r, "mosquitto", steps, warm, d -> ctx.mosquittoSpec(d, true), ctx.mosquitto.pid(), false, -1,
                        Map.of("mosquitto", ctx.mosquitto.pid())),
                new Ladder(List.of(), steps.stream().map(Level::none).toList()));
        List<Level> tether = both.tether().levels();
        List<Level> mosquitto = both.peer().levels();

        Level tTop = tether.get(tether.size() - 1);
        Level mTop = mosquitto.get(mosquitto.size() - 1);
        String at = Fmt.count(tTop.connections()) + " connections";
        r.headline("memory per idle connection at " + at + " (gateway RSS)", Fmt.bytes(tTop.bytesPerConnection()),
                Fmt.bytes(mTop.bytesPerConnection()), Fmt.ratio(tTop.bytesPerConnection(), mTop.bytesPerConnection()),
                "≤ 3 KiB");
        r.headline("connect rate at " + at + " (connections/s)", Fmt.num(tTop.rate()), Fmt.num(mTop.rate()),
                Fmt.ratio(tTop.rate(), mTop.rate()), "≥ ×0.5");
        r.headline("CONNACK latency p99 at " + at, Fmt.ms(tTop.connack().p99()), Fmt.ms(mTop.connack().p99()),
                Fmt.ratio(tTop.connack().p99(), mTop.connack().p99()), "");

        var t = r.table("Per level (connections added in steps; CONNECT with user name and password, then SUBSCRIBE "
                + "devices/<id>/# at QoS 1; at most " + ctx.scale.connectConcurrency() + " connects in flight)",
                "system", "connections", "failed", "connects/s", "CONNACK p50 ms", "CONNACK p99 ms", "SUBACK p99 ms",
                "listen overflows", "SYN retransmits", "CPU per connect µs", "of which JIT µs", "RSS", "RSS per connection",
                "Redis per connection");
        for (int i = 0; i < steps.size(); i++) {
            for (Level l : List.of(tether.get(i), mosquitto.get(i))) {
                boolean isTether = l == tether.get(i);
                ScenarioResult.row(t, isTether ? "Tether gateway" : "mosquitto", l.connected(), l.failed(), l.rate(),
                        l.connack().p50(), l.connack().p99(), l.ready().p99(), l.listenOverflows() + " (drops " + l.listenDrops() + ")",
                        l.synRetransmits(), l.cpu().cpuMicros(), l.cpu().jitMicros(), Fmt.bytes(l.rss()), Fmt.bytes(l.bytesPerConnection()),
                        isTether ? Fmt.bytes(l.redisBytesPerConnection()) : "–");
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            Level tl = tether.get(i);
            Level ml = mosquitto.get(i);
            String k = String.valueOf(tl.connections());
            r.number("tether.rss_per_conn_bytes." + k, tl.bytesPerConnection())
                    .number("tether.redis_per_conn_bytes." + k, tl.redisBytesPerConnection())
                    .number("mosquitto.rss_per_conn_bytes." + k, ml.bytesPerConnection())
                    .number("tether.connect_rate." + k, tl.rate()).number("mosquitto.connect_rate." + k, ml.rate())
                    .number("tether.connack_p99_ms." + k, tl.connack().p99())
                    .number("mosquitto.connack_p99_ms." + k, ml.connack().p99())
                    .number("tether.failed." + k, tl.failed()).number("mosquitto.failed." + k, ml.failed())
                    .number("tether.cpu_us_per_connect." + k, tl.cpu().cpuMicros())
                    .number("tether.jit_cpu_us_per_connect." + k, tl.cpu().jitMicros())
                    .number("mosquitto.cpu_us_per_connect." + k, ml.cpu().cpuMicros())
                    .number("tether.listen_overflows." + k, tl.listenOverflows())
                    .number("mosquitto.listen_overflows." + k, ml.listenOverflows())
                    .number("tether.syn_retransmits." + k, tl.synRetransmits())
                    .number("mosquitto.syn_retransmits." + k, ml.synRetransmits());
            if (tl.failures() != null) {
                r.note("Tether at " + k + ": failed attempts: " + tl.failures());
            }
            if (ml.failures() != null) {
                r.note("mosquitto at " + k + ": failed attempts: " + ml.failures());
            }
        }
        r.number("ratio.rss_per_conn", tTop.bytesPerConnection() / mTop.bytesPerConnection());
        ConnectWarmup.report(r, both.tether().warmup(), both.peer().warmup());
        if (!tTop.cpu().byProcess().isEmpty()) {
            var c = r.table("Tether's CPU per connect by process, from " + Fmt.count(tether.size() > 1
                    ? tether.get(tether.size() - 2).connections() : 0) + " to " + at, "process", "CPU per connect µs",
                    "of which JIT µs");
            tTop.cpu().byProcess().forEach((name, v) -> {
                ScenarioResult.row(c, name, v[0], v[1]);
                r.number("tether.cpu_us_per_connect." + name + "." + tTop.connections(), v[0]);
            });
        }
        if (!tTop.heapPerConnection().isEmpty()) {
            var h = r.table("Gateway heap per idle connection at " + at + " (live objects after a full GC, jcmd GC.class_histogram; "
                    + "growth from no device connected, the 15 classes that grew most)", "class", "bytes per connection");
            tTop.heapPerConnection().forEach((cls, bytes) -> ScenarioResult.row(h, "`" + cls + "`", Fmt.num(bytes)));
            r.number("tether.heap_per_conn_bytes." + tTop.connections(), tTop.heapPerConnection().get("all classes"));
        }
        if (!tTop.heapByOwner().isEmpty()) {
            var o = r.table("The same growth by whose classes it is (by class name; every class, not only the 15 above)",
                    "owner", "bytes per connection");
            tTop.heapByOwner().forEach((owner, bytes) -> {
                ScenarioResult.row(o, owner.label(), Fmt.num(bytes));
                r.number("tether.heap_per_conn_bytes_by_owner." + owner.key(), bytes);
            });
        }
        if (!unreachable.isEmpty()) {
            r.note("Not reachable on this machine: " + unreachable + " connections. Every process may hold at most "
                    + BenchContext.ownFileLimit() + " open files (hard limit; raising it needs CAP_SYS_RESOURCE, which this "
                    + "sandbox does not grant), so one broker process and the one load-generator JVM top out at "
                    + ctx.connectionCap + " connections here. The levels above were capped to that.");
        }
        r.note("Listen overflows: TcpExtListenOverflows from /proc/net/netstat, its change over the level's connects (the "
                + "kernel counts for the whole machine, and only the measured system accepts connections meanwhile): a connect "
                + "that found the broker's accept queue full; the client retries it after the kernel's SYN timeout. SYN "
                + "retransmits: TCPSynRetrans over the same connects, every SYN the kernel sent again (1 s after the first).");
        if (!warm.isEmpty()) {
            r.note("Warm-up: before the first level, " + Fmt.count(warm.size()) + " devices of their own connected, subscribed "
                    + "and disconnected " + ctx.scale.connectWarmupRounds() + " times on each system, then both systems went "
                    + "idle; the levels' devices never connected before. The levels measure connects after it; the first round, "
                    + "with every JVM compiling the CONNECT path, is the cold figure. Memory growth is measured from before it.");
        }
        r.note("CPU per connect: all processes of the system (Tether: every service, Kafka and Redis; mosquitto: its one) over "
                + "the level's connects, divided by them; the load generator is not counted. JIT: of which the processes' JIT "
                + "compiler threads.");
        r.note("RSS is VmRSS of the process; Tether's is read after a full GC (jcmd GC.run), so it counts live data and the "
                + "heap the JVM keeps committed, not garbage. Growth is measured from the same process with no device "
                + "connected. Redis per connection is the growth of Redis's RSS (presence, epoch and session state per device), "
                + "read after any warm-up, whose devices' keys stay.");

        List<String> categories = steps.stream().map(n -> Fmt.count(n) + " conns").toList();
        r.chart(new Chart.Bars("s2-memory-per-connection.png", "Resident memory per idle connection", "KiB per connection",
                categories, Chart.seriesOf("Tether gateway", tether.stream().map(l -> l.bytesPerConnection() / 1024).toList(),
                        "Tether Redis", tether.stream().map(l -> l.redisBytesPerConnection() / 1024).toList(),
                        "mosquitto", mosquitto.stream().map(l -> l.bytesPerConnection() / 1024).toList()), false));
        r.chart(new Chart.Bars("s2-connect-rate.png", "Connect rate (CONNECT + auth + SUBSCRIBE)", "connections / s", categories,
                Chart.seriesOf("Tether", tether.stream().map(Level::rate).toList(), "mosquitto",
                        mosquitto.stream().map(Level::rate).toList()), false));
        r.chart(new Chart.Lines("s2-connack-latency.png", "CONNACK latency while connecting", "connections", "ms (log)",
                Chart.pointsOf(
                        "Tether p50", tether.stream().map(l -> new double[] {l.connections(), l.connack().p50()}).toList(),
                        "mosquitto p50", mosquitto.stream().map(l -> new double[] {l.connections(), l.connack().p50()}).toList(),
                        "Tether p99", tether.stream().map(l -> new double[] {l.connections(), l.connack().p99()}).toList(),
                        "mosquitto p99", mosquitto.stream().map(l -> new double[] {l.connections(), l.connack().p99()}).toList()),
                true));
    }

    private static Ladder ladder(BenchContext ctx, ScenarioResult r, String system, List<Integer> steps, List<Device> warm,
            Function<Device, ConnectSpec> spec, long pid, boolean jvm, long redisPid, Map<String, Long> cpuPids) {
        List<Level> out = new ArrayList<>();
        List<MqttConn> all = new ArrayList<>();
        try {
            settle(pid, jvm, ctx.scale.settle().dividedBy(2));
            Map<String, Long> heap0 = jvm ? Jvm.liveBytesByClass(pid) : Map.of();
            long rss0 = ProcessStats.rssBytes(pid);
            List<ConnectWarmup.Round> rounds = ConnectWarmup.run(ctx, r, system, warm.stream().map(spec).toList(), cpuPids);
            long redis0 = redisPid > 0 ? ProcessStats.rssBytes(redisPid) : 0;
            int from = 0;
            for (int level : steps) {
                List<ConnectSpec> specs = ctx.devices.subList(from, level).stream().map(spec).toList();
                long[] listen0 = NetStat.listenCounters();
                CpuMeter meter = CpuMeter.start(cpuPids);
                MqttClients.Bulk bulk = ctx.mqtt.connectAll(specs, ctx.scale.connectConcurrency(), 0, s -> MqttConn.IGNORE).join();
                ConnectCpu cpu = ConnectCpu.of(meter.stop(), bulk.connected().size());
                long[] listen1 = NetStat.listenCounters();
                all.addAll(bulk.connected());
                from = level;
                Pause.of(ctx.scale.settle()); // presence and session writes of the last connects land
                settle(pid, jvm, ctx.scale.settle().dividedBy(2));
                long rss = ProcessStats.rssBytes(pid);
                long live = all.stream().filter(MqttConn::isOpen).count();
                double perConn = live == 0 ? Double.NaN : (double) (rss - rss0) / live;
                double redisPer = redisPid > 0 && live > 0 ? (double) (ProcessStats.rssBytes(redisPid) - redis0) / live : Double.NaN;
                boolean top = level == steps.get(steps.size() - 1);
                Map<String, Long> heapTop = jvm && top && live > 0 ? Jvm.liveBytesByClass(pid) : Map.of();
                Map<String, Double> heap = heapTop.isEmpty() ? Map.of() : perConnection(heap0, heapTop, live);
                Map<HeapByOwner.Owner, Double> owners = heapTop.isEmpty() ? Map.of() : HeapByOwner.growth(heap0, heapTop, live);
                Level l = new Level(level, live, level - live, bulk.seconds(), bulk.ratePerSecond(), bulk.connackLatency().summary(),
                        bulk.latency().summary(), rss, perConn, redisPer, listen1[0] - listen0[0], listen1[1] - listen0[1], listen1[2] - listen0[2],
                        bulk.failures().isEmpty() ? null : Support.reasons(bulk.failures()), heap, owners, cpu);
                System.out.printf("bench: 2 idle     %-9s %,d connections (%d failed) at %,.0f/s, RSS %s = %s per connection%n",
                        system, live, level - live, l.rate(), Fmt.bytes(rss), Fmt.bytes(perConn));
                out.add(l);
            }
            return new Ladder(rounds, out);
        } finally {
            MqttClients.disconnectAll(all);
        }
    }

    /** Live heap bytes per connection, in total ("all classes") and for the classes that grew most, largest first. */
    private static Map<String, Double> perConnection(Map<String, Long> before, Map<String, Long> after, long connections) {
        Map<String, Double> out = new LinkedHashMap<>();
        long total = after.values().stream().mapToLong(Long::longValue).sum() - before.values().stream().mapToLong(Long::longValue).sum();
        out.put("all classes", (double) total / connections);
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(15)
                .forEach(e -> out.put(e.getKey(), (double) e.getValue() / connections));
        return out;
    }

    private static void settle(long pid, boolean jvm, Duration after) {
        if (jvm) {
            Jvm.gc(pid);
        }
        Pause.of(after);
    }
}
