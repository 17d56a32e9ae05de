package io.tether.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes report.md (with the charts as PNGs beside it) and results.json into the results folder. */
public final class ReportWriter {
    /** What the report says about the run as a whole. */
    public record Run(String scale, String command, String started, double seconds, Map<String, String> machine,
            Map<String, String> setup, Map<String, String> parameters, List<String> notes) {
    }

    private ReportWriter() {
    }

    /** Writes the report; with {@code charts} false no PNG is drawn and the report links none (an A/B run's reports). */
    public static void write(Path dir, Run run, List<ScenarioResult> results, boolean charts) throws IOException {
        Files.createDirectories(dir);
        if (!charts) {
            results.forEach(r -> r.charts.clear());
        }
        for (ScenarioResult result : results) {
            for (Chart chart : result.charts) {
                try {
                    Charts.write(chart, dir);
                } catch (RuntimeException | IOException e) {
                    result.notes.add("chart " + chart.file() + " could not be drawn: " + e);
                }
            }
        }
        Files.writeString(dir.resolve("report.md"), markdown(run, results), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("results.json"), json(run, results), StandardCharsets.UTF_8);
    }

    static String markdown(Run run, List<ScenarioResult> results) {
        StringBuilder md = new StringBuilder();
        md.append("# Tether benchmark: ").append(run.scale()).append(" scale, ").append(run.started()).append("\n\n");
        md.append("Tether and mosquitto measured side by side, in one run, by the same load generator (`bench/`). ")
                .append("The machine is shared and absolute numbers drift from run to run: read the **ratios**.\n\n");
        if (run.scale().equals("small")) {
            md.append("> **Small scale**: cold JVMs and tiny samples. This run proves that every scenario still works; its "
                    + "numbers say nothing about performance. Measure with `bench/run --scale full` on a quiet machine.\n\n");
        }
        md.append("Command: `").append(run.command()).append("` (").append(Fmt.num(run.seconds())).append(" s)\n\n");

        md.append("## Headline\n\n");
        md.append("| scenario | metric | Tether | peer | ratio (Tether ÷ peer) | target |\n|---|---|---|---|---|---|\n");
        for (ScenarioResult r : results) {
            if (r.error != null) {
                md.append("| ").append(r.id).append(" | **failed** | ").append(cell(r.error)).append(" | | | |\n");
            }
            for (ScenarioResult.Headline h : r.headlines) {
                md.append("| ").append(r.id).append(" | ").append(cell(h.metric())).append(" | ").append(cell(h.tether()))
                        .append(" | ").append(cell(h.peer())).append(" | ").append(cell(h.ratio())).append(" | ")
                        .append(cell(h.target())).append(" |\n");
            }
        }
        md.append('\n');

        md.append("## Machine and setup\n\n| | |\n|---|---|\n");
        run.machine().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(cell(v)).append(" |\n"));
        run.setup().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(cell(v)).append(" |\n"));
        md.append("\n<details><summary>Scale parameters</summary>\n\n| parameter | value |\n|---|---|\n");
        run.parameters().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(cell(v)).append(" |\n"));
        md.append("\n</details>\n\n");

        for (ScenarioResult r : results) {
            md.append("## ").append(r.id).append(". ").append(r.title).append("\n\n");
            md.append(r.description).append("\n\n");
            if (r.error != null) {
                md.append("**This scenario failed:** ").append(r.error).append("\n\n");
            }
            for (ScenarioResult.Table t : r.tables) {
                if (t.caption() != null && !t.caption().isBlank()) {
                    md.append("**").append(t.caption()).append("**\n\n");
                }
                md.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
                md.append("---|".repeat(t.header().size())).append('\n');
                for (List<String> row : t.rows()) {
                    md.append("| ").append(String.join(" | ", row.stream().map(ReportWriter::cell).toList())).append(" |\n");
                }
                md.append('\n');
            }
            for (Chart c : r.charts) {
                md.append("![").append(c.title()).append("](").append(c.file()).append(")\n\n");
            }
            for (String note : r.notes) {
                md.append("- ").append(note).append('\n');
            }
            md.append("\n_Scenario time: ").append(Fmt.num(r.seconds)).append(" s_\n\n");
        }
        if (!run.notes().isEmpty()) {
            md.append("## Notes\n\n");
            run.notes().forEach(n -> md.append("- ").append(n).append('\n'));
            md.append('\n');
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }

    static String json(Run run, List<ScenarioResult> results) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("scale", run.scale());
        root.put("command", run.command());
        root.put("started", run.started());
        root.put("seconds", run.seconds());
        root.set("machine", mapper.valueToTree(run.machine()));
        root.set("setup", mapper.valueToTree(run.setup()));
        root.set("parameters", mapper.valueToTree(run.parameters()));
        ArrayNode scenarios = root.putArray("scenarios");
        for (ScenarioResult r : results) {
            ObjectNode s = scenarios.addObject();
            s.put("id", r.id);
            s.put("title", r.title);
            s.put("seconds", r.seconds);
            if (r.error != null) {
                s.put("error", r.error);
            }
            ObjectNode numbers = s.putObject("numbers");
            r.numbers.forEach((k, v) -> {
                if (Double.isFinite(v)) {
                    numbers.put(k, v);
                } else {
                    numbers.putNull(k);
                }
            });
            ArrayNode charts = s.putArray("charts");
            r.charts.forEach(c -> charts.add(c.file()));
            s.set("notes", mapper.valueToTree(r.notes));
        }
        return mapper.writeValueAsString(root);
    }
}
