package org.mpool.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

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
    }

    private static String shorten(String name) {
        return name.length() <= 40 ? name : name.substring(0, 38) + "…";
    }
}
