package io.tether.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Renders {@link Chart}s as PNG files with JFreeChart (headless). */
public final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;
    private static final Color[] PALETTE = {new Color(0xE0, 0x6C, 0x1F), new Color(0x2B, 0x6C, 0xB0), new Color(0x4C, 0xA0, 0x4C),
            new Color(0x8E, 0x44, 0xAD), new Color(0x7F, 0x7F, 0x7F), new Color(0xC0, 0x39, 0x2B)};

    private Charts() {
    }

    public static void write(Chart chart, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        JFreeChart rendered = chart instanceof Chart.Bars bars ? bars(bars) : lines((Chart.Lines) chart);
        rendered.setBackgroundPaint(Color.WHITE);
        rendered.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        ChartUtils.saveChartAsPNG(dir.resolve(chart.file()).toFile(), rendered, WIDTH, HEIGHT);
    }

    private static JFreeChart bars(Chart.Bars bars) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, List<Double>> series : bars.series().entrySet()) {
            for (int i = 0; i < bars.categories().size(); i++) {
                Double value = i < series.getValue().size() ? series.getValue().get(i) : null;
                data.addValue(value == null || value.isNaN() ? null : value, series.getKey(), bars.categories().get(i));
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(bars.title(), null, bars.valueLabel(), data, PlotOrientation.VERTICAL,
                true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (bars.logScale()) {
            plot.setRangeAxis(logAxis(bars.valueLabel()));
        }
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new ThreeDigits()));
        renderer.setDefaultItemLabelsVisible(true);
        Colors colors = new Colors();
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, colors.of(String.valueOf(data.getRowKey(i))));
        }
        return chart;
    }

    /** A log axis with plain-number tick labels (1, 10, 100 rather than 10^2). */
    private static LogarithmicAxis logAxis(String label) {
        LogarithmicAxis axis = new LogarithmicAxis(label);
        axis.setStrictValuesFlag(false);
        axis.setAllowNegativesFlag(false);
        axis.setAutoRangeNextLogFlag(true);
        axis.setExpTickLabelsFlag(false);
        axis.setLog10TickLabelsFlag(false);
        return axis;
    }

    /** Tether's series in oranges and reds, the peer's (mosquitto, raw Pushy) in blues, others green and grey; one colour per name. */
    private static final class Colors {
        private static final Color[] TETHER = {PALETTE[0], PALETTE[5], new Color(0xF3, 0xA6, 0x3B), new Color(0x8B, 0x3A, 0x0E)};
        private static final Color[] PEER = {PALETTE[1], new Color(0x5D, 0xA5, 0xDA), new Color(0x1B, 0x3F, 0x6B)};
        private static final Color[] OTHER = {PALETTE[2], PALETTE[4], PALETTE[3]};
        private final java.util.Map<String, Color> given = new java.util.HashMap<>();
        private int tether;
        private int peer;
        private int other;

        Color of(String series) {
            return given.computeIfAbsent(series, name -> {
                String n = name.toLowerCase(java.util.Locale.ROOT);
                if (n.startsWith("tether") || n.startsWith("push-service") || n.startsWith("gateway")) {
                    return TETHER[tether++ % TETHER.length];
                }
                if (n.startsWith("mosquitto") || n.startsWith("raw pushy")) {
                    return PEER[peer++ % PEER.length];
                }
                return OTHER[other++ % OTHER.length];
            });
        }
    }

    private static JFreeChart lines(Chart.Lines lines) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, List<double[]>> series : lines.series().entrySet()) {
            XYSeries xy = new XYSeries(series.getKey());
            for (double[] point : series.getValue()) {
                if (!Double.isNaN(point[1]) && (!lines.logY() || point[1] > 0)) {
                    xy.add(point[0], point[1]);
                }
            }
            data.addSeries(xy);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(lines.title(), lines.xLabel(), lines.yLabel(), data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        if (lines.logY()) {
            plot.setRangeAxis(logAxis(lines.yLabel()));
        }
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        Colors colors = new Colors();
        for (int i = 0; i < data.getSeriesCount(); i++) {
            String name = String.valueOf(data.getSeriesKey(i));
            renderer.setSeriesPaint(i, colors.of(name.replace(" p999", "").replace(" p99", "").replace(" p50", "")));
            boolean dashed = name.contains("p99") || name.contains("p999");
            renderer.setSeriesStroke(i, new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                    dashed ? new float[] {7f, 4f} : null, 0f));
        }
        plot.setRenderer(renderer);
        return chart;
    }

    /** Item labels as the report writes numbers: three significant digits. */
    private static final class ThreeDigits extends java.text.NumberFormat {
        @Override
        public StringBuffer format(double number, StringBuffer out, java.text.FieldPosition pos) {
            return out.append(Fmt.num(number));
        }

        @Override
        public StringBuffer format(long number, StringBuffer out, java.text.FieldPosition pos) {
            return out.append(Fmt.num(number));
        }

        @Override
        public Number parse(String source, java.text.ParsePosition pos) {
            throw new UnsupportedOperationException();
        }
    }
}
