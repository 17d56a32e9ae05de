package io.tether.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A chart to render as PNG: grouped bars over categories, or lines over a numeric x axis. */
public sealed interface Chart permits Chart.Bars, Chart.Lines {
    String file();

    String title();

    /**
     * @param series values per series, one per category (NaN: no bar)
     */
    record Bars(String file, String title, String valueLabel, List<String> categories, Map<String, List<Double>> series,
            boolean logScale) implements Chart {
    }

    /**
     * @param series points per series as {x, y}
     */
    record Lines(String file, String title, String xLabel, String yLabel, Map<String, List<double[]>> series, boolean logY)
            implements Chart {
    }

    static Map<String, List<Double>> seriesOf(Object... nameAndValues) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (int i = 0; i < nameAndValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Double> values = (List<Double>) nameAndValues[i + 1];
            out.put((String) nameAndValues[i], values);
        }
        return out;
    }

    static Map<String, List<double[]>> pointsOf(Object... nameAndPoints) {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        for (int i = 0; i < nameAndPoints.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<double[]> points = (List<double[]>) nameAndPoints[i + 1];
            out.put((String) nameAndPoints[i], points);
        }
        return out;
    }
}
