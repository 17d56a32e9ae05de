package io.tether.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one scenario measured: headline rows, tables, charts, notes, and its numbers by name (also in results.json). */
public final class ScenarioResult {
    /** One row of the report's headline table. {@code peer} is mosquitto's (or raw Pushy's) figure, when there is one. */
    public record Headline(String metric, String tether, String peer, String ratio, String target) {
    }

    /** A Markdown table. */
    public record Table(String caption, List<String> header, List<List<String>> rows) {
    }

    public final String id;
    public final String title;
    public final String description;
    public final List<Headline> headlines = new ArrayList<>();
    public final List<Table> tables = new ArrayList<>();
    public final List<Chart> charts = new ArrayList<>();
    public final List<String> notes = new ArrayList<>();
    public final Map<String, Double> numbers = new LinkedHashMap<>();
    public String error;
    public double seconds;

    public ScenarioResult(String id, String title, String description) {
        this.id = id;
        this.title = title;
        this.description = description;
    }

    public ScenarioResult number(String name, double value) {
        numbers.put(name, value);
        return this;
    }

    public ScenarioResult note(String text) {
        notes.add(text);
        return this;
    }

    public ScenarioResult headline(String metric, String tether, String peer, String ratio, String target) {
        headlines.add(new Headline(metric, tether, peer, ratio, target));
        return this;
    }

    public Table table(String caption, String... header) {
        Table table = new Table(caption, List.of(header), new ArrayList<>());
        tables.add(table);
        return table;
    }

    public ScenarioResult chart(Chart chart) {
        charts.add(chart);
        return this;
    }

    /** Adds a row to {@code table}. */
    public static void row(Table table, Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell instanceof Double d ? Fmt.num(d) : cell instanceof Long || cell instanceof Integer
                    ? Fmt.count(((Number) cell).longValue()) : String.valueOf(cell));
        }
        table.rows().add(row);
    }
}
