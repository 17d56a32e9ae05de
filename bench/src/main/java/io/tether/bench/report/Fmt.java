package io.tether.bench.report;

import java.util.Locale;

/** Number formatting for the report. */
public final class Fmt {
    private Fmt() {
    }

    /** 3 significant digits, thousands separated; "–" for NaN. */
    public static String num(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "–";
        }
        double abs = Math.abs(value);
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (abs >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        if (abs == 0) {
            return "0";
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    /** A count: "12,345". */
    public static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** "×1.23" for tether / peer (how many times mosquitto's figure Tether's is). */
    public static String ratio(double tether, double peer) {
        if (Double.isNaN(tether) || Double.isNaN(peer) || peer == 0) {
            return "–";
        }
        return "×" + num(tether / peer);
    }

    public static String ms(double value) {
        return num(value) + " ms";
    }

    public static String bytes(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        if (Math.abs(value) >= 1024 * 1024) {
            return num(value / (1024 * 1024)) + " MiB";
        }
        if (Math.abs(value) >= 1024) {
            return num(value / 1024) + " KiB";
        }
        return num(value) + " B";
    }
}
