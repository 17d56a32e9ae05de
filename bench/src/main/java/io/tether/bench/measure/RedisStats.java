package io.tether.bench.measure;

import io.tether.testkit.Resp;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Redis's per-command counters ({@code INFO commandstats}: calls and microseconds spent per command) and their change
 * over a measured phase. Redis counts the commands a Lua script runs ({@code redis.call}) under their own names as
 * well, and an {@code EVALSHA}'s microseconds include theirs.
 */
public final class RedisStats {
    /** Calls and microseconds of one command. */
    public record Command(long calls, long usec) {
        public double usecPerCall() {
            return calls == 0 ? Double.NaN : (double) usec / calls;
        }
    }

    /** What Redis holds: the keys of database 0 ({@code INFO keyspace}) and its allocator's bytes ({@code used_memory}). */
    public record Dataset(long keys, long usedMemory) {
        public Dataset minus(Dataset before) {
            return new Dataset(keys - before.keys, usedMemory - before.usedMemory);
        }
    }

    private RedisStats() {
    }

    /** The dataset now; null when Redis cannot be read. */
    public static Dataset dataset(int port) {
        try {
            return parseDataset(String.valueOf(Resp.call(port, "INFO", "keyspace", "memory")));
        } catch (IOException e) {
            System.err.println("bench: INFO keyspace memory on " + port + " failed: " + e);
            return null;
        }
    }

    /** Parses {@code db0:keys=12,expires=3,avg_ttl=0} and {@code used_memory:123}; an empty database has no db0 line. */
    static Dataset parseDataset(String info) {
        long keys = 0;
        long used = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("db0:keys=")) {
                keys = Long.parseLong(line.substring("db0:keys=".length(), line.indexOf(',')));
            } else if (line.startsWith("used_memory:")) {
                used = Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        return new Dataset(keys, used);
    }

    /** The counters now, by lower-case command name (e.g. {@code evalsha}, {@code hset}); empty when Redis cannot be read. */
    public static Map<String, Command> snapshot(int port) {
        try {
            return parse(String.valueOf(Resp.call(port, "INFO", "commandstats")));
        } catch (IOException e) {
            System.err.println("bench: INFO commandstats on " + port + " failed: " + e);
            return Map.of();
        }
    }

    /** What changed from {@code before} to {@code after}: only commands that were called, sorted by name. */
    public static Map<String, Command> delta(Map<String, Command> before, Map<String, Command> after) {
        Map<String, Command> out = new TreeMap<>();
        after.forEach((name, now) -> {
            Command then = before.getOrDefault(name, new Command(0, 0));
            long calls = now.calls() - then.calls();
            if (calls > 0) {
                out.put(name, new Command(calls, now.usec() - then.usec()));
            }
        });
        return out;
    }

    /** Parses lines like {@code cmdstat_evalsha:calls=12,usec=340,usec_per_call=28.33,rejected_calls=0,failed_calls=0}. */
    static Map<String, Command> parse(String info) {
        Map<String, Command> out = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            if (!line.startsWith("cmdstat_") || line.indexOf(':') < 0) {
                continue;
            }
            String name = line.substring("cmdstat_".length(), line.indexOf(':'));
            long calls = 0;
            long usec = 0;
            for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
                int eq = field.indexOf('=');
                if (eq > 0 && field.startsWith("calls=")) {
                    calls = Long.parseLong(field.substring(eq + 1));
                } else if (eq > 0 && field.startsWith("usec=")) {
                    usec = Long.parseLong(field.substring(eq + 1));
                }
            }
            out.put(name, new Command(calls, usec));
        }
        return out;
    }
}
