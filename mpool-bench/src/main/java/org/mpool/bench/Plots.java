package org.mpool.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** One bar chart per suite: each measurement as a ratio of its baseline (1.0 = the baseline). */
final class Plots {
    private Plots() {}

    static void write(Path dir, List<Result> results) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        Map<String, List<Result>> bySuite = new LinkedHashMap<>();
        for (Result r : results) {
            if (!Double.isNaN(r.ratio())) {
                bySuite.computeIfAbsent(r.suite(), k -> new ArrayList<>()).add(r);
            }
        }
        for (Map.Entry<String, List<Result>> e : bySuite.entrySet()) {
            CategoryChart chart = new CategoryChartBuilder()
                    .width(1000)
                    .height(520)
                    .title("mpool " + e.getKey() + " suite: mpool / baseline (same run)")
                    .yAxisTitle("ratio (1.0 = baseline)")
                    .build();
            chart.getStyler().setLegendVisible(true);
            chart.getStyler().setXAxisLabelRotation(15);
            List<String> names =
                    e.getValue().stream().map(r -> shorten(r.name())).toList();
            chart.addSeries(
                    "mpool / baseline",
                    names,
                    e.getValue().stream().map(Result::ratio).toList());
            chart.addSeries(
                    "baseline", names, e.getValue().stream().map(r -> 1.0).toList());
            BitmapEncoder.saveBitmap(chart, dir.resolve(e.getKey()).toString(), BitmapEncoder.BitmapFormat.PNG);
        }
        curves(dir, results);
    }

    private static final Pattern THREADS = Pattern.compile("(.*), (\\d+) threads?$");

    /**
     * The scaling suite also as curves: operations per second against threads, one line per
     * case and one per baseline that has a thread count of its own.
     */
    private static void curves(Path dir, List<Result> results) throws Exception {
        Map<String, List<double[]>> lines = new LinkedHashMap<>();
        for (Result r : results) {
            if (!r.suite().equals("scaling")) {
                continue;
            }
            add(lines, r.name(), r.value());
            add(lines, r.baselineName(), r.baseline());
        }
        if (lines.isEmpty()) {
            return;
        }
        XYChart chart = new XYChartBuilder()
                .width(1000)
                .height(560)
                .title("mpool scaling suite: operations per second by threads (same run)")
                .xAxisTitle("threads")
                .yAxisTitle("operations / s")
                .build();
        chart.getStyler().setXAxisLogarithmic(true);
        for (Map.Entry<String, List<double[]>> e : lines.entrySet()) {
            if (e.getValue().size() > 1) {
                chart.addSeries(
                        e.getKey(),
                        e.getValue().stream().mapToDouble(p -> p[0]).toArray(),
                        e.getValue().stream().mapToDouble(p -> p[1]).toArray());
            }
        }
        BitmapEncoder.saveBitmap(chart, dir.resolve("scaling-curves").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void add(Map<String, List<double[]>> lines, String name, double value) {
        Matcher m = THREADS.matcher(name);
        if (m.matches()) {
            List<double[]> points = lines.computeIfAbsent(m.group(1), k -> new ArrayList<>());
            double threads = Double.parseDouble(m.group(2));
            if (points.stream().noneMatch(p -> p[0] == threads)) {
                points.add(new double[] {threads, value});
            }
        }
    }

    private static String shorten(String name) {
        return name.length() <= 40 ? name : name.substring(0, 38) + "…";
    }
}
