package io.tether.bench.ab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.bench.ab.AbMain.Run;
import io.tether.bench.ab.AbMain.Side;
import io.tether.bench.report.Fmt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The A/B report: for every number the runs wrote (results.json, by {@code <scenario>.<name>}), each side's median,
 * min and max over its runs and the ratio of the medians B ÷ A. Nothing else is computed: every figure is one of the
 * runs' own or one of those four.
 */
final class AbReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What was compared, and how. */
    record Setup(Side a, Side b, int pairs, String benchArgs, String command, ZonedDateTime started, boolean peer) {
    }

    /** One metric: its values per run (in run order; NaN where a run had none) for each side. */
    record Metric(String name, List<Double> a, List<Double> b) {
        AbStats.Summary summaryA() {
            return AbStats.summary(a);
        }

        AbStats.Summary summaryB() {
            return AbStats.summary(b);
        }
    }

    private AbReport() {
    }

    static void write(Path out, Setup setup, List<Run> runs) throws IOException {
        Map<Integer, JsonNode> results = new LinkedHashMap<>();
        for (Run run : runs) {
            if (Files.isRegularFile(run.results())) {
                results.put(run.index(), JSON.readTree(run.results().toFile()));
            }
        }
        List<Metric> metrics = metrics(runs, results);
        Files.writeString(out.resolve("report.md"), markdown(setup, runs, results, metrics), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("results.json"), json(setup, runs, metrics), StandardCharsets.UTF_8);
    }

    /** Every metric any run wrote, with each run's value on its side. */
    static List<Metric> metrics(List<Run> runs, Map<Integer, JsonNode> results) {
        Map<String, Metric> byName = new TreeMap<>();
        for (Run run : runs) {
            JsonNode root = results.get(run.index());
            if (root == null) {
                continue;
            }
            for (JsonNode scenario : root.path("scenarios")) {
                scenario.path("numbers").fields().forEachRemaining(e -> {
                    String name = scenario.path("id").asText() + "." + e.getKey();
                    byName.computeIfAbsent(name, n -> new Metric(n, new ArrayList<>(), new ArrayList<>()));
                });
            }
        }
        for (Metric metric : byName.values()) {
            for (Run run : runs) {
                double value = value(results.get(run.index()), metric.name());
                (run.side().name() == 'A' ? metric.a() : metric.b()).add(value);
            }
        }
        return byName.values().stream().filter(m -> m.summaryA().n() + m.summaryB().n() > 0).toList();
    }

    private static double value(JsonNode root, String metric) {
        if (root == null) {
            return Double.NaN;
        }
        int dot = metric.indexOf('.');
        for (JsonNode scenario : root.path("scenarios")) {
            if (scenario.path("id").asText().equals(metric.substring(0, dot))) {
                JsonNode v = scenario.path("numbers").path(metric.substring(dot + 1));
                return v.isNumber() ? v.asDouble() : Double.NaN;
            }
        }
        return Double.NaN;
    }

    static String markdown(Setup setup, List<Run> runs, Map<Integer, JsonNode> results, List<Metric> metrics) {
        StringBuilder md = new StringBuilder();
        md.append("# A/B: ").append(setup.b().label()).append(" (B) against ").append(setup.a().label()).append(" (A)\n\n");
        md.append(setup.started().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).replaceAll("\\.\\d+", "")).append(", ")
                .append(setup.pairs()).append(" pairs = ").append(runs.size()).append(" runs in the order ")
                .append(String.join(" ", runs.stream().map(r -> String.valueOf(r.side().name())).toList()))
                .append(", each a fresh start of every process. Command: `").append(setup.command()).append("`; each run: `")
                .append(setup.benchArgs()).append(setup.peer() ? "" : " --no-peer").append("`.\n\n");
        md.append("| | A | B |\n|---|---|---|\n");
        md.append("| label | ").append(cell(setup.a().label())).append(" | ").append(cell(setup.b().label())).append(" |\n");
        md.append("| build | ").append(cell(setup.a().build())).append(" | ").append(cell(setup.b().build())).append(" |\n");
        md.append("| services from | `").append(setup.a().root()).append("` | `").append(setup.b().root()).append("` |\n");
        md.append("| bench options of this side only | ").append(options(setup.a())).append(" | ").append(options(setup.b())).append(" |\n\n");
        md.append("Both sides run with the same load generator (this checkout's `bench/`), the same Kafka, Redis and JVM options, "
                + "except the bench options of one side only in the table above. "
                + "Every figure below is one of the runs' own numbers (their `results.json`), the median, min or max of a "
                + "side's runs, or the ratio of the two medians (B ÷ A); nothing else is computed. **apart** means every run "
                + "of one side lies beyond every run of the other; **overlap** means the difference is within the runs' own "
                + "spread: not a change this comparison can show. Spread = (max − min) ÷ median of one side. \"apart\" is no "
                + "proof either: with " + setup.pairs() + " runs a side, two identical builds come out apart in a given metric "
                + "with a chance of " + Fmt.num(AbStats.chanceApart(setup.pairs(), setup.pairs()) * 100) + " % (2 of the C("
                + 2 * setup.pairs() + ", " + setup.pairs() + ") orders of their values), and the key figures are many; "
                + "claim what is apart *and* larger than the noise floor of an A = B comparison.\n\n");
        List<Metric> key = metrics.stream().filter(m -> MetricNames.describe(m.name()) != null)
                .sorted(Comparator.comparingLong((Metric m) -> MetricNames.rank(m.name()))).toList();
        md.append("## Key figures\n\n");
        table(md, key, true);
        md.append("## Runs\n\n| # | side | exit | minutes | failed scenarios |\n|---|---|---|---|---|\n");
        for (Run run : runs) {
            md.append("| ").append(run.index() + 1).append(" | ").append(run.side().name()).append(" | ").append(run.exitCode())
                    .append(" | ").append(Fmt.num(run.seconds() / 60)).append(" | ").append(cell(failures(results.get(run.index()))))
                    .append(" |\n");
        }
        md.append("\nEach run's own report (without charts) is in `").append(runs.get(0).dir().getParent().getParent())
                .append("/<run>/results/`, until the next A/B run replaces it.\n\n");
        md.append("## Every metric\n\n<details><summary>").append(metrics.size())
                .append(" metrics, with each run's value</summary>\n\n");
        table(md, metrics, false);
        md.append("</details>\n");
        return md.toString();
    }

    private static void table(StringBuilder md, List<Metric> metrics, boolean named) {
        md.append("| metric | A median | A min–max | B median | B min–max | B ÷ A | | spread A | spread B |")
                .append(named ? "" : " runs (A / B) |").append("\n|---|---|---|---|---|---|---|---|---|")
                .append(named ? "" : "---|").append('\n');
        for (Metric m : metrics) {
            AbStats.Summary a = m.summaryA();
            AbStats.Summary b = m.summaryB();
            md.append("| ").append(named ? MetricNames.describe(m.name()) + " <sub>" + m.name() + "</sub>" : m.name())
                    .append(" | ").append(Fmt.num(a.median())).append(" | ").append(range(a)).append(" | ")
                    .append(Fmt.num(b.median())).append(" | ").append(range(b)).append(" | ")
                    .append(Double.isNaN(AbStats.ratio(a, b)) ? "–" : "×" + Fmt.num(AbStats.ratio(a, b))).append(" | ")
                    .append(a.n() < 2 || b.n() < 2 ? "" : a.apartFrom(b) ? "**apart**" : "overlap").append(" | ")
                    .append(percent(a.spread())).append(" | ").append(percent(b.spread())).append(" |");
            if (!named) {
                md.append(' ').append(values(m.a())).append(" / ").append(values(m.b())).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static String range(AbStats.Summary s) {
        return s.n() == 0 ? "–" : Fmt.num(s.min()) + " – " + Fmt.num(s.max()) + (s.n() > 1 ? "" : " (1 run)");
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "–" : Fmt.num(share * 100) + " %";
    }

    private static String values(List<Double> values) {
        return String.join(", ", values.stream().map(Fmt::num).toList());
    }

    private static String failures(JsonNode root) {
        if (root == null) {
            return "no results.json";
        }
        List<String> failed = new ArrayList<>();
        root.path("scenarios").forEach(s -> {
            if (s.hasNonNull("error")) {
                failed.add(s.path("id").asText() + ": " + s.path("error").asText());
            }
        });
        return String.join("; ", failed);
    }

    private static String options(Side side) {
        return side.options().isEmpty() ? "none" : "`" + cell(String.join(" ", side.options())) + "`";
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }

    static String json(Setup setup, List<Run> runs, List<Metric> metrics) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("command", setup.command());
        root.put("benchArgs", setup.benchArgs());
        root.put("started", setup.started().toString());
        root.put("pairs", setup.pairs());
        for (Side side : List.of(setup.a(), setup.b())) {
            ObjectNode s = root.putObject(String.valueOf(side.name()));
            s.put("label", side.label());
            s.put("build", side.build());
            s.put("root", side.root().toString());
            s.put("options", String.join(" ", side.options()));
        }
        ArrayNode order = root.putArray("runs");
        for (Run run : runs) {
            ObjectNode r = order.addObject();
            r.put("index", run.index() + 1);
            r.put("side", String.valueOf(run.side().name()));
            r.put("exitCode", run.exitCode());
            r.put("seconds", run.seconds());
        }
        ObjectNode all = root.putObject("metrics");
        for (Metric m : metrics) {
            ObjectNode node = all.putObject(m.name());
            put(node, "a", m.a(), m.summaryA());
            put(node, "b", m.b(), m.summaryB());
            number(node, "ratio", AbStats.ratio(m.summaryA(), m.summaryB()));
            node.put("apart", m.summaryA().apartFrom(m.summaryB()));
        }
        return JSON.writeValueAsString(root);
    }

    private static void put(ObjectNode node, String side, List<Double> values, AbStats.Summary s) {
        ArrayNode array = node.putArray(side);
        values.forEach(v -> {
            if (Double.isFinite(v)) {
                array.add(v);
            } else {
                array.addNull();
            }
        });
        number(node, side + "Median", s.median());
        number(node, side + "Min", s.min());
        number(node, side + "Max", s.max());
    }

    private static void number(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }
}
