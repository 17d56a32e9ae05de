package io.tether.bench.scenario;

import io.tether.bench.measure.RedisStats;
import io.tether.bench.report.Chart;
import io.tether.bench.report.Fmt;
import io.tether.bench.report.ScenarioResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Scenario 3's cost tables: CPU per message of each process, Redis's commands and Kafka's requests per message. */
final class LiveCosts {
    private LiveCosts() {
    }

    static void report(ScenarioResult r, List<LiveStep> tether, List<LiveStep> mosquitto) {
        cpu(r, tether, mosquitto);
        redis(r, tether);
        kafka(r, tether);
    }

    private static void cpu(ScenarioResult r, List<LiveStep> tether, List<LiveStep> mosquitto) {
        List<String> processes = tether.stream().filter(st -> st.cpu() != null).findFirst().map(LiveStep::processes).orElse(List.of());
        List<String> header = new ArrayList<>(List.of("system", "rate msg/s"));
        header.addAll(processes);
        header.addAll(List.of("system total", "of which JIT compiler threads", "of which GC threads", "load generator",
                "machine busy"));
        var t = r.table("CPU µs per message received, by process (user + system time from /proc over each step's send and drain "
                + "time, with the children a process reaped meanwhile: Redis's AOF rewrites)", header.toArray(String[]::new));
        for (int i = 0; i < tether.size(); i++) {
            for (LiveStep st : List.of(tether.get(i), mosquitto.get(i))) {
                boolean isTether = st == tether.get(i);
                List<Object> row = new ArrayList<>(List.of(isTether ? "Tether" : "mosquitto", st.rate()));
                for (String p : processes) {
                    row.add(isTether ? (Object) st.micros(List.of(p)) : "–");
                }
                row.addAll(List.of(st.systemMicros(), isTether ? (Object) st.jitMicros() : "–",
                        isTether ? (Object) st.gcMicros() : "–", st.micros(List.of("bench")),
                        st.cpu() == null ? "–" : Fmt.num(st.cpu().machineBusy() * 100) + " %"));
                ScenarioResult.row(t, row.toArray());
                String k = (isTether ? "tether" : "mosquitto") + ".";
                r.number(k + "loadgen_cpu_us_per_msg." + st.rate(), st.micros(List.of("bench")));
                if (isTether) {
                    processes.forEach(p -> r.number("tether.cpu_us_per_msg." + p + "." + st.rate(), st.micros(List.of(p))));
                    r.number("tether.jit_cpu_us_per_msg." + st.rate(), st.jitMicros())
                            .number("tether.gc_cpu_us_per_msg." + st.rate(), st.gcMicros());
                }
            }
        }
        r.note("JIT and GC: the CPU of the JVMs' compiler threads (C1, C2) and garbage collector threads, told apart by thread "
                + "name; threads that end within a step are missed, so both are lower bounds. JIT time still high at a rate means "
                + "the warm-up did not finish compiling the hot path. Load generator: the benchmark JVM (REST client, MQTT "
                + "receivers, the APNs mock), per message of that system's step.");
        List<String> rates = tether.stream().map(st -> Fmt.count(st.rate())).toList();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        processes.forEach(p -> series.put(p, tether.stream().map(st -> st.micros(List.of(p))).toList()));
        series.put("mosquitto", mosquitto.stream().map(LiveStep::systemMicros).toList());
        r.chart(new Chart.Bars("s3-cpu-by-process.png", "CPU per live message by process", "µs per message", rates, series, false));
    }

    private static void redis(ScenarioResult r, List<LiveStep> tether) {
        List<LiveStep> measured = tether.stream().filter(st -> !st.redis().isEmpty() && st.received() > 0).toList();
        if (measured.isEmpty()) {
            return;
        }
        LiveStep first = measured.get(0);
        Set<String> commands = new LinkedHashSet<>();
        measured.forEach(st -> commands.addAll(st.redis().keySet()));
        List<String> ordered = commands.stream().sorted(Comparator.comparingDouble((String c) -> -orZero(first.redisCallsPerMessage(c)))
                .thenComparing(c -> c)).toList();
        List<String> header = new ArrayList<>(List.of("command"));
        measured.forEach(st -> header.addAll(List.of("calls/msg at " + Fmt.count(st.rate()), "µs/call at " + Fmt.count(st.rate()))));
        var t = r.table("Redis commands per message received (INFO commandstats, change over each step's send and drain time)",
                header.toArray(String[]::new));
        for (String command : ordered) {
            List<Object> row = new ArrayList<>(List.of(command));
            for (LiveStep st : measured) {
                RedisStats.Command c = st.redis().get(command);
                row.add(st.redisCallsPerMessage(command));
                row.add(c == null ? Double.NaN : c.usecPerCall());
                r.number("tether.redis_calls_per_msg." + command + "." + st.rate(), st.redisCallsPerMessage(command));
                r.number("tether.redis_us_per_call." + command + "." + st.rate(), c == null ? Double.NaN : c.usecPerCall());
            }
            ScenarioResult.row(t, row.toArray());
        }
        List<Object> total = new ArrayList<>(List.of("all commands (script-internal included)"));
        for (LiveStep st : measured) {
            total.add(st.redisCallsPerMessage());
            total.add("–");
            r.number("tether.redis_calls_per_msg.all." + st.rate(), st.redisCallsPerMessage());
        }
        ScenarioResult.row(t, total.toArray());
        dataset(r, measured);
        r.note("Redis counts the commands a Lua script runs (redis.call) under their own names too, and an EVALSHA's µs include "
                + "them: the rows of commands also called from scripts are not extra round trips, and the sum counts both. "
                + "Redis's own CPU per message is in the CPU table. The counters cover everything "
                + "Redis served during the step: the services' background work (gateway heartbeats, expiry sweeps) and the "
                + "benchmark's four INFO calls included.");
    }

    /** What a message leaves in Redis for the status retention (tether.inbox.status-retention, 7 days by default). */
    private static void dataset(ScenarioResult r, List<LiveStep> measured) {
        List<LiveStep> read = measured.stream().filter(st -> st.grown() != null).toList();
        if (read.isEmpty()) {
            return;
        }
        List<String> header = new ArrayList<>(List.of("per message received"));
        read.forEach(st -> header.add("at " + Fmt.count(st.rate())));
        var t = r.table("What Redis keeps per message (change of INFO keyspace's keys and INFO memory's used_memory over each "
                + "step's send and drain time)", header.toArray(String[]::new));
        List<Object> keys = new ArrayList<>(List.of("keys"));
        List<Object> bytes = new ArrayList<>(List.of("used_memory bytes"));
        for (LiveStep st : read) {
            keys.add(st.redisKeysPerMessage());
            bytes.add(st.redisBytesPerMessage());
            r.number("tether.redis_keys_per_msg." + st.rate(), st.redisKeysPerMessage());
            r.number("tether.redis_bytes_per_msg." + st.rate(), st.redisBytesPerMessage());
        }
        ScenarioResult.row(t, keys.toArray());
        ScenarioResult.row(t, bytes.toArray());
    }

    private static void kafka(ScenarioResult r, List<LiveStep> tether) {
        List<LiveStep> measured = tether.stream().filter(st -> !st.kafka().isEmpty() && st.received() > 0).toList();
        if (measured.isEmpty()) {
            return;
        }
        Set<String> apis = new LinkedHashSet<>();
        measured.forEach(st -> apis.addAll(st.kafka().keySet()));
        LiveStep first = measured.get(0);
        List<String> ordered = apis.stream().sorted(Comparator.comparingDouble((String a) -> -orZero(first.kafkaRequestsPerMessage(a)))
                .thenComparing(a -> a)).toList();
        List<String> header = new ArrayList<>(List.of("request"));
        measured.forEach(st -> header.addAll(List.of("per msg at " + Fmt.count(st.rate()), "per s at " + Fmt.count(st.rate()))));
        var t = r.table("Kafka requests per message received (the broker's RequestsPerSec counters, change over each step's send "
                + "and drain time)", header.toArray(String[]::new));
        List<String> rows = new ArrayList<>(ordered);
        rows.add("all");
        for (String api : rows) {
            List<Object> row = new ArrayList<>(List.of(api.equals("all") ? "all requests (a fetch counted once)" : api));
            for (LiveStep st : measured) {
                double perMessage = st.kafkaRequestsPerMessage(api);
                row.add(perMessage);
                row.add(perMessage * st.received() / st.sendSeconds());
                r.number("tether.kafka_requests_per_msg." + api + "." + st.rate(), perMessage);
            }
            ScenarioResult.row(t, row.toArray());
        }
        r.note("Kafka's broker counts each fetch twice: as Fetch and as FetchConsumer (a client) or FetchFollower (a replica). "
                + "Per s: over the step's send time, so a step's drain adds to it. A produce request carries every record a "
                + "producer's linger gathered, and each one wakes the fetches waiting on its partitions.");
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
