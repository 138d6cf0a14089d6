package org.mpool.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints results as a table and writes them as JSON and Markdown. */
final class Reports {
    private Reports() {}

    static void printTable(PrintStream out, List<Result> results) {
        for (String line : markdown(results)) {
            out.println(line);
        }
    }

    static List<String> markdown(List<Result> results) {
        List<String> lines = new ArrayList<>();
        lines.add("| suite | measurement | mpool | baseline | ratio | p50 / p99 µs (baseline p99) | target | met |");
        lines.add("|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            String lat = Double.isNaN(r.p99Micros())
                    ? ""
                    : String.format(
                            Locale.ROOT,
                            "%s / %s (%s)",
                            micros(r.p50Micros()),
                            micros(r.p99Micros()),
                            micros(r.baselineP99Micros()));
            lines.add(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s %s | %s: %s | %s | %s | %s | %s |",
                    r.suite(),
                    r.name(),
                    num(r.value()),
                    r.unit(),
                    r.baselineName(),
                    num(r.baseline()),
                    Double.isNaN(r.ratio()) ? "-" : String.format(Locale.ROOT, "%.2f", r.ratio()),
                    lat,
                    r.target(),
                    r.met() ? "yes" : "**no**"));
        }
        return lines;
    }

    /** Whole microseconds, but one decimal below 10 µs (memory reads take about 1 µs). */
    private static String micros(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v);
    }

    private static String num(double v) {
        if (Double.isNaN(v) || v == 0) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static void write(Path dir, List<Result> results) throws IOException {
        Files.createDirectories(dir);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("suite", r.suite());
            m.put("name", r.name());
            m.put("unit", r.unit());
            m.put("value", r.value());
            m.put("baseline", r.baselineName());
            m.put("baselineValue", r.baseline());
            m.put("ratio", r.ratio());
            m.put("p50Micros", r.p50Micros());
            m.put("p99Micros", r.p99Micros());
            m.put("baselineP99Micros", r.baselineP99Micros());
            m.put("target", r.target());
            m.put("met", r.met());
            rows.add(m);
        }
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve(stamp + ".json").toFile(), rows);
        Files.write(dir.resolve(stamp + ".md"), markdown(results));
    }
}
