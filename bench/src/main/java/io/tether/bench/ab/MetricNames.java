package io.tether.bench.ab;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readable names of the metrics an A/B report leads with (a claim quotes them: "CPU per live message at 1,000 msg/s");
 * every other metric keeps its results.json name ({@code <scenario>.<name>}).
 */
final class MetricNames {
    private record Key(Pattern pattern, String text) {
    }

    private static final List<Key> KEYS = List.of(
            key("3\\.tether\\.cpu_us_per_msg\\.(\\d+)", "CPU per live message at %s msg/s, all Tether processes (µs)"),
            key("3\\.tether\\.p50_ms\\.(\\d+)", "live latency p50 at %s msg/s (ms)"),
            key("3\\.tether\\.p99_ms\\.(\\d+)", "live latency p99 at %s msg/s (ms)"),
            key("3\\.tether\\.answer_p99_ms\\.(\\d+)", "202 answer p99 at %s msg/s (ms)"),
            key("3\\.tether\\.achieved_rate\\.(\\d+)", "messages sent per second at %s msg/s offered"),
            key("3\\.tether\\.lost\\.(\\d+)", "live messages not received at %s msg/s"),
            key("3\\.tether\\.redis_calls_per_msg\\.all\\.(\\d+)",
                    "Redis commands per live message at %s msg/s (script-internal included)"),
            key("3\\.tether\\.redis_calls_per_msg\\.evalsha\\.(\\d+)", "Redis EVALSHA per live message at %s msg/s"),
            key("3\\.tether\\.jit_cpu_us_per_msg\\.(\\d+)", "of which JIT compiler threads at %s msg/s (µs)"),
            key("1\\.tether\\.gateway_cpu_us_per_msg", "upstream: gateway CPU per message (µs)"),
            key("1\\.tether\\.gateway_kafka_cpu_us_per_msg", "upstream: gateway + Kafka CPU per message (µs)"),
            key("1\\.tether\\.msgs_per_s", "upstream: messages per second"),
            key("1\\.tether\\.puback_p99_ms", "upstream: PUBACK p99 (ms)"),
            key("2\\.tether\\.connect_rate\\.(\\d+)", "connects per second up to %s connections"),
            key("2\\.tether\\.cpu_us_per_connect\\.(\\d+)", "CPU per connect up to %s connections, all Tether processes (µs)"),
            key("2\\.tether\\.jit_cpu_us_per_connect\\.(\\d+)", "of which JIT compiler threads up to %s connections (µs)"),
            key("2\\.tether\\.connect_rate_cold", "connects per second in the first warm-up round (cold JVMs)"),
            key("2\\.tether\\.rss_per_conn_bytes\\.(\\d+)", "gateway memory per idle connection at %s connections (bytes)"),
            key("4\\.tether\\.push_per_s", "push-service notifications per second"),
            key("4\\.tether\\.fallback_to_apns_p99_ms", "deaf device: request due → APNs accepted, p99 (ms)"),
            key("4\\.tether\\.fallback_due_to_202_p99_ms", "deaf device: request due → 202, p99 (ms)"),
            key("4\\.tether\\.fallback_to_ack_timeout_p99_ms", "deaf device: acceptance → gateway's ACK_TIMEOUT, p99 (ms)"),
            key("4\\.tether\\.fallback_ack_timeout_to_request_p99_ms", "deaf device: ACK_TIMEOUT → push request, p99 (ms)"),
            key("5\\.tether\\.all_live_s", "reconnect storm: seconds until every device is LIVE"),
            key("idle\\.tether\\.idle_cpu_pct", "idle, after the scenarios: all Tether processes (% of one core)"));

    private MetricNames() {
    }

    private static Key key(String regex, String text) {
        return new Key(Pattern.compile(regex), text);
    }

    /** The readable name of a key metric, or null for the others. */
    static String describe(String metric) {
        for (Key key : KEYS) {
            Matcher m = key.pattern().matcher(metric);
            if (m.matches()) {
                return m.groupCount() == 0 ? key.text()
                        : String.format(Locale.ROOT, key.text(), String.format(Locale.ROOT, "%,d", Long.parseLong(m.group(1))));
            }
        }
        return null;
    }

    /** Where a key metric goes in the report: the order of {@link #KEYS}, then by the rate or level in its name. */
    static long rank(String metric) {
        for (int i = 0; i < KEYS.size(); i++) {
            Matcher m = KEYS.get(i).pattern().matcher(metric);
            if (m.matches()) {
                return i * 1_000_000_000L + (m.groupCount() == 0 ? 0 : Long.parseLong(m.group(1)));
            }
        }
        return Long.MAX_VALUE;
    }
}
