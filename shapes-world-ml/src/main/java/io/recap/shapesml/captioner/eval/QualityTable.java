package io.recap.shapesml.captioner.eval;

import io.recap.shapes.text.CaptionAccuracy.Attribute;
import io.recap.shapes.text.CaptionAccuracySummary;
import java.util.List;
import java.util.Locale;

/** Renders quality rows as one Markdown table (precision / recall per attribute). */
public final class QualityTable {

    private QualityTable() {
    }

    public static String markdown(List<QualityRow> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| captions | style | decoding |");
        for (Attribute attribute : Attribute.values()) {
            out.append(' ').append(attribute.label()).append(" P / R |");
        }
        out.append(" all P / R | hallucinated objects / caption | names every object | exact object list"
                + " | mean tokens |\n");
        out.append("|---|---|---|");
        out.append("---|".repeat(Attribute.values().length));
        out.append("---|---|---|---|---|\n");
        for (QualityRow row : rows) {
            CaptionAccuracySummary s = row.summary();
            out.append("| ").append(row.source()).append(" | ").append(row.style()).append(" | ")
                    .append(row.decoding()).append(" |");
            for (Attribute attribute : Attribute.values()) {
                out.append(' ').append(pair(s.precision(attribute), s.recall(attribute))).append(" |");
            }
            out.append(' ').append(pair(s.precision(), s.recall())).append(" | ")
                    .append(number(s.hallucinationsPerCaption(), 3)).append(" | ")
                    .append(percent(s.namingEveryObjectRate())).append(" | ")
                    .append(percent(s.exactObjectsRate())).append(" | ")
                    .append(number(s.meanTokens(), 1)).append(" |\n");
        }
        return out.toString();
    }

    private static String pair(double precision, double recall) {
        return number(precision, 2) + " / " + number(recall, 2);
    }

    private static String number(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "—";
    }

    private static String percent(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f%%", value * 100) : "—";
    }
}
